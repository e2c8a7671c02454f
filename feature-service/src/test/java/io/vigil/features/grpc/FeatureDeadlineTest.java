package io.vigil.features.grpc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.testing.quarkus.VigilInfrastructure;

/**
 * The caller's deadline reaches GetFeatures on its own gRPC server: a load slower than the deadline (the feature table
 * locked by another transaction) ends in DEADLINE_EXCEEDED for the caller while the server gives the work up itself,
 * which its abandoned-lookups counter shows. On the shared Vert.x port that counter stayed at zero: the deadline was
 * not in the server's gRPC Context, so the server waited for the database however long it took.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "vigil_features"))
class FeatureDeadlineTest {

    private static final Pattern ABANDONED = Pattern.compile("(?m)^vigil_features_lookups_abandoned_total(?:\\{[^}]*\\})? ([0-9.Ee+-]+)$");

    private static ManagedChannel channel;
    private static FeatureStoreServiceGrpc.FeatureStoreServiceBlockingStub stub;

    @BeforeAll
    static void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        stub = FeatureStoreServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldGiveUpALoadThatOutlivesTheCallersDeadlineOnTheServer() throws Exception {
        // An account nobody has asked for: not in the cache, so the answer needs the database.
        GetFeaturesRequest request = request("acc-deadline-" + UUID.randomUUID());
        double before = abandoned();
        try (Connection lock = connection()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE feature_value IN ACCESS EXCLUSIVE MODE");
            }
            long started = System.nanoTime();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS).getFeatures(request));
            System.out.printf("GetFeatures against a locked table, deadline 300 ms: %s after %d ms%n",
                    e.getStatus().getCode(), (System.nanoTime() - started) / 1_000_000);
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            // The server's own timer gave the load up while the table was still locked.
            assertEquals(before + 1, awaitAbandoned(before + 1), 0.0);
            lock.rollback();
        }
        // Once the table is free the same request is answered (the features are missing: nothing stored).
        GetFeaturesResponse served = stub.withDeadlineAfter(5, TimeUnit.SECONDS).getFeatures(request);
        assertEquals(FeatureStatus.FEATURE_STATUS_MISSING, served.getFeatures(0).getStatus());
    }

    @Test
    void shouldBeWarmWhenReady() {
        // %test.features.warm-up.calls=200, all answered over the gRPC port before readiness turned UP.
        String state = given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'feature serving warm-up' }.status", org.hamcrest.Matchers.equalTo("UP"))
                .extract().path("checks.find { it.name == 'feature serving warm-up' }.data.state");
        org.junit.jupiter.api.Assertions.assertTrue(state.startsWith("200 GetFeatures calls (0 failed)"), state);
        // features.warm-up.compiler-quiet-share defaults to 0: no rounds after the calls, however busy the compilers are
        org.junit.jupiter.api.Assertions.assertTrue(state.contains(", 0 extra rounds;"), state);
    }

    private static GetFeaturesRequest request(String account) {
        return GetFeaturesRequest.newBuilder().setFeatureSetVersion("checkout-features@1")
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId(account))
                .addFeatureNames("account_age_days").build();
    }

    /** Polls the metric until it reaches the expected value or 10 s pass; returns the last value read. */
    private static double awaitAbandoned(double expected) throws InterruptedException {
        double value = abandoned();
        for (int i = 0; i < 100 && value < expected; i++) {
            Thread.sleep(100);
            value = abandoned();
        }
        return value;
    }

    private static double abandoned() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = ABANDONED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private static Connection connection() throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties props = new Properties();
        props.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), props);
    }
}
