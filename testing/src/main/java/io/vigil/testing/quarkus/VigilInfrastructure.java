package io.vigil.testing.quarkus;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.security.TestTokens;

/**
 * Gives a service's {@code @QuarkusTest}s a real Kafka broker and a real PostgreSQL with a fresh database, and points
 * the service at them. Init arg {@code database}: the prefix of the test database's name.
 */
public class VigilInfrastructure implements QuarkusTestResourceLifecycleManager {

    private String databasePrefix = "vigil";
    private KafkaBroker broker;
    private PostgresLocator.Located postgres;
    private TestDatabase database;

    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.getOrDefault("database", databasePrefix);
    }

    @Override
    public Map<String, String> start() {
        try {
            broker = KafkaBroker.start();
            postgres = PostgresLocator.locate(System.getenv(), null, KafkaBroker.freePort());
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("cannot start test infrastructure: " + e.getMessage(), e);
        }
        database = TestDatabase.create(postgres.server(), databasePrefix);

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("quarkus.datasource.username", postgres.server().user());
        config.put("quarkus.datasource.password", postgres.server().password());
        config.put("quarkus.datasource.jdbc.url", postgres.server().jdbcUrl(database.name()));
        config.put("quarkus.datasource.reactive.url", postgres.server().reactiveUrl(database.name()));
        // Bearer tokens: the services verify TestTokens' signatures, never the local stack's key.
        config.putAll(TestTokens.verifierConfig());
        return config;
    }

    /** The running broker, for resources that start more services against it. */
    public KafkaBroker broker() {
        return broker;
    }

    /** The PostgreSQL server the fresh database lives on, for resources that need a database of their own. */
    public io.vigil.testing.postgres.PostgresServer postgresServer() {
        return postgres.server();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.MatchesType(KafkaBroker.class));
        testInjector.injectIntoFields(database, new TestInjector.MatchesType(TestDatabase.class));
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception ignored) {
                // stopping an embedded server that already went away
            }
        }
        if (broker != null) {
            broker.close();
        }
    }
}
