package io.vigil.scoring.endtoend;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * Real Kafka and PostgreSQL (as for every scoring test) plus the real feature-service, run from its built jar with a
 * database of its own, and scoring pointed at it. The default model from models/ decides.
 */
public class WithFeatureServiceInfrastructure implements QuarkusTestResourceLifecycleManager {

    private final VigilInfrastructure infrastructure = new VigilInfrastructure();
    private TestDatabase featureDatabase;
    private QuarkusServiceProcess featureService;

    @Override
    public void init(Map<String, String> initArgs) {
        infrastructure.init(Map.of("database", "vigil_scoring_e2e"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(infrastructure.start());
        featureDatabase = TestDatabase.create(infrastructure.postgresServer(), "vigil_features_e2e");
        Map<String, String> featureConfig = Map.of(
                "kafka.bootstrap.servers", infrastructure.broker().bootstrapServers(),
                "quarkus.datasource.username", featureDatabase.server().user(),
                "quarkus.datasource.password", featureDatabase.server().password(),
                "quarkus.datasource.jdbc.url", featureDatabase.server().jdbcUrl(featureDatabase.name()),
                "quarkus.datasource.reactive.url", featureDatabase.server().reactiveUrl(featureDatabase.name()),
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER);
        int featureGrpcPort = KafkaBroker.freePort();
        featureConfig = new HashMap<>(featureConfig);
        featureConfig.put("quarkus.grpc.server.port", Integer.toString(featureGrpcPort));
        try {
            featureService = QuarkusServiceProcess.start("feature-service",
                    QuarkusServiceProcess.builtJar("feature-service"), KafkaBroker.freePort(), featureConfig,
                    Duration.ofSeconds(90));
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start feature-service: " + e.getMessage(), e);
        }
        config.put("scoring.features.host", "127.0.0.1");
        config.put("scoring.features.port", Integer.toString(featureGrpcPort));
        config.put("vigil.e2e.feature-service-url", featureService.baseUrl());
        // The committed default model and its 30 features, not the tiny test model. The %test keys of
        // application.properties would win over plain ones, so these are set for the test profile too.
        for (String prefix : new String[] {"", "%test."}) {
            config.put(prefix + "scoring.models.dir", "../models");
            config.put(prefix + "scoring.models.default-model", "default/model.json");
            config.put(prefix + "scoring.models.default-version", "default");
        }
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        infrastructure.inject(testInjector);
        testInjector.injectIntoFields(featureService, new TestInjector.MatchesType(QuarkusServiceProcess.class));
    }

    @Override
    public void stop() {
        if (featureService != null) {
            featureService.close();
        }
        if (featureDatabase != null) {
            featureDatabase.close();
        }
        infrastructure.stop();
    }
}
