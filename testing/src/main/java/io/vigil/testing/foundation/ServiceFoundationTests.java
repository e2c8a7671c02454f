package io.vigil.testing.foundation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;

/**
 * What every Vigil service must show once it is up, against real servers: ready (with PostgreSQL and Kafka checked),
 * gRPC health SERVING over a socket, Prometheus metrics, its Flyway migration applied, and a CloudEvents-headed
 * protobuf event that went out through Kafka and decodes. A service's test extends this, as a {@code @QuarkusTest}.
 */
public abstract class ServiceFoundationTests {

    /** The service's name, as in {@code quarkus.application.name}. */
    protected abstract String serviceName();

    /** Tables the service's migrations must have created. */
    protected abstract List<String> expectedTables();

    /** Decodes the payload of a {@code vigil.events.v1.ServiceStarted} record and returns its {@code service} field. */
    protected abstract String serviceOfStartedEvent(byte[] payload) throws Exception;

    @Test
    void shouldBeReadyWithDatabaseAndKafkaChecked() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.name", hasItem(containsString("Kafka")));
    }

    @Test
    void shouldAnswerGrpcHealthServingOverARealChannel() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcTestPort()).usePlaintext().build();
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().build());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, response.getStatus());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldListItsGrpcServicesThroughServerReflection() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcTestPort()).usePlaintext().build();
        try {
            var received = new java.util.concurrent.LinkedBlockingQueue<ServerReflectionResponse>();
            var done = new java.util.concurrent.CountDownLatch(1);
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse value) {
                            received.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            requests.onCompleted();
            assertTrue(done.await(5, TimeUnit.SECONDS), "reflection call did not complete");
            List<String> services = received.stream()
                    .flatMap(r -> r.getListServicesResponse().getServiceList().stream())
                    .map(s -> s.getName())
                    .toList();
            assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
            assertTrue(services.contains("vigil.ops.v1.ServiceInfoService"), services.toString());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The URLs the READMEs give for every service answer on it, the Swagger UI included (not only in dev mode). */
    @Test
    void shouldAnswerEveryUrlTheReadmesGive() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("openapi", startsWith("3."));
        given().redirects().follow(true).when().get("/q/swagger-ui").then().statusCode(200)
                .body(containsString("swagger-ui"));
    }

    /** Health, metrics and OpenAPI stay open: a garbage bearer token does not turn them into a 401. */
    @Test
    void shouldKeepHealthMetricsAndOpenApiOpenWhateverTheToken() {
        for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().header("Authorization", "Bearer not-a-token").when().get(path).then().statusCode(200);
        }
    }

    /**
     * One JSON naming convention for every REST API of the suite (contracts/README.md): no schema property in the
     * OpenAPI document is camelCase.
     */
    @Test
    void shouldDescribeEverySchemaPropertyInSnakeCase() {
        Map<String, Object> schemas = given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("components.schemas");
        List<String> camel = new ArrayList<>();
        collectCamelCase("", schemas == null ? Map.of() : schemas, camel);
        assertTrue(camel.isEmpty(), "camelCase properties in /q/openapi: " + camel);
    }

    private static void collectCamelCase(String path, Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            Object properties = map.get("properties");
            if (properties instanceof Map<?, ?> props) {
                for (Object name : props.keySet()) {
                    if (!String.valueOf(name).matches("[a-z0-9_]+")) {
                        out.add(path + "." + name);
                    }
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                collectCamelCase(path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectCamelCase(path + "[" + i + "]", list.get(i), out);
            }
        }
    }

    @Test
    void shouldExposePrometheusMetrics() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("# TYPE jvm_threads_live_threads gauge"))
                .body(containsString("# TYPE process_uptime_seconds gauge"));
    }

    @Test
    void shouldHaveAppliedItsFlywayMigrations() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Properties props = new Properties();
        props.setProperty("user", ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        try (Connection c = java.sql.DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FILTER (WHERE NOT success), count(*) FROM flyway_schema_history WHERE version IS NOT NULL")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "failed migrations");
                assertTrue(rs.getInt(2) >= 1, "no versioned migration applied");
            }
            for (String table : expectedTables()) {
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "table " + table + " missing");
                }
            }
        }
    }

    @Test
    void shouldPublishItsStartAsACloudEventsProtobufEvent() throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "foundation-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String expectedSource = CloudEventHeaders.sourceOf(serviceName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTopics.SERVICE_LIFECYCLE));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    CloudEventHeaders headers = CloudEventHeaders.readFrom(record.headers());
                    if (!expectedSource.equals(headers.source())) {
                        continue;
                    }
                    assertEquals("vigil.events.v1.ServiceStarted", headers.type());
                    assertEquals(CloudEventHeaders.PROTOBUF, headers.contentType());
                    assertTrue(headers.time().isAfter(Instant.now().minus(Duration.ofMinutes(10))), "ce_time " + headers.time());
                    assertEquals(serviceName(), serviceOfStartedEvent(record.value()));
                    return;
                }
            }
        }
        fail("no ServiceStarted event from " + expectedSource + " on " + EventTopics.SERVICE_LIFECYCLE + " within 30 s");
    }

    /** Where the service's gRPC listens in tests: its own port when it runs the separate gRPC server, else HTTP's. */
    public static int grpcTestPort() {
        var config = ConfigProvider.getConfig();
        boolean separate = config.getOptionalValue("quarkus.grpc.server.use-separate-server", Boolean.class).orElse(true);
        return separate ? config.getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001) : testPort();
    }

    protected static int testPort() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }
}
