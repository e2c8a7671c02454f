package io.vigil.guardrail.rollout.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresServer;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * The real Kafka broker and PostgreSQL of {@link VigilInfrastructure}, plus the REAL scoring-service started from its
 * built jar on a database of its own, with guardrail-service pointed at it (an operator token for subject
 * guardrail-service, short timeouts and backoff so the tests do not wait out production budgets).
 */
public class RolloutStack extends VigilInfrastructure {

    private TestDatabase scoringDb;
    private QuarkusServiceProcess scoring;

    /**
     * The configuration of a real scoring-service that only serves its line-up and policies (no feature store: these
     * tests never score a payment), on the given broker and database, with the tiny test model as its champion.
     */
    public static Map<String, String> lineupOnlyScoring(String bootstrapServers, PostgresServer pg, String database) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", bootstrapServers);
        s.put("quarkus.datasource.username", pg.user());
        s.put("quarkus.datasource.password", pg.password());
        s.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(database));
        s.put("quarkus.datasource.reactive.url", pg.reactiveUrl(database));
        s.put("quarkus.grpc.server.port", Integer.toString(KafkaBroker.freePort()));
        s.put("quarkus.log.console.json.enabled", "false");
        s.put("scoring.features.host", "127.0.0.1");
        s.put("scoring.features.port", Integer.toString(KafkaBroker.freePort()));
        s.put("scoring.models.dir", Path.of("..", "scoring-service", "src", "test", "resources", "models")
                .toAbsolutePath().normalize().toString());
        s.put("scoring.models.default-model", "tiny/model.json");
        s.put("scoring.models.default-version", "tiny-2tree");
        s.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        s.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        return s;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            scoringDb = TestDatabase.create(postgresServer(), "vigil_scoring_rollouts");
            Map<String, String> s = lineupOnlyScoring(broker().bootstrapServers(), postgresServer(),
                    scoringDb.name());
            scoring = QuarkusServiceProcess.start("scoring-service", QuarkusServiceProcess.builtJar("scoring-service"),
                    KafkaBroker.freePort(), s, Duration.ofSeconds(120));
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start scoring-service for the rollout tests: " + e.getMessage(), e);
        }
        config.put("quarkus.rest-client.scoring.url", scoring.baseUrl());
        config.put("quarkus.rest-client.scoring.read-timeout", "1500");
        config.put("quarkus.rest-client.scoring.connect-timeout", "1000");
        config.put("guardrail.scoring.token", TestTokens.token("operator", "guardrail-service"));
        config.put("guardrail.scoring.initial-backoff", "100ms");
        config.put("guardrail.scoring.max-backoff", "1s");
        config.put("guardrail.rollouts.resume-every", "1s");
        config.put("guardrail.rollouts.abort-wait", "3s");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        super.inject(testInjector);
        testInjector.injectIntoFields(scoring, new TestInjector.MatchesType(QuarkusServiceProcess.class));
    }

    @Override
    public void stop() {
        for (AutoCloseable c : new AutoCloseable[] {scoring, scoringDb}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // keep stopping the rest
                }
            }
        }
        super.stop();
    }
}
