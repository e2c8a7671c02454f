package io.vigil.features;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.events.v1.FeatureHealthChanged;
import io.vigil.contracts.events.v1.FeatureHealthMetric;
import io.vigil.contracts.events.v1.FeatureHealthState;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.features.health.FeatureHealthMonitor;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * The seed scenario end to end: a healthy account stream over REST, then account_age_days arrives as 0 for
 * login_method=social. Reads answer DEFAULTED at once; the health alarm lands on login_method=social only, at
 * /health/features and as a FeatureHealthChanged event on vigil.feature-health.v1.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "vigil_features"))
class FeatureHealthTest {

    /** REST calls carry a bearer token with the role the call needs: the one place this class says so. */
    private static RequestSpecification api(String role) {
        return given().header("Authorization", TestTokens.bearer(role, "feature-test"));
    }

    private static final String[] COUNTRIES = { "US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU" };
    private static final String[] REGIONS = { "NA", "NA", "EU", "EU", "EU", "LATAM", "LATAM", "APAC", "APAC", "APAC" };
    private static final String[] BANDS = { "18-24", "25-34", "35-44", "45-54", "55-64", "65+" };
    private static final String[] CHANNELS = { "web", "app", "voice" };

    private final SplittableRandom random = new SplittableRandom(2026L);

    @Test
    void shouldAlarmForSocialLoginsOnlyWhenTheirAccountAgeArrivesDefaulted() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int batch = 0; batch < 8; batch++) {
            sendBatch(run + "-h" + batch, 100, false);
        }
        List<String> broken = new ArrayList<>();
        for (int batch = 0; batch < 4; batch++) {
            broken.addAll(sendBatch(run + "-b" + batch, 100, true));
        }
        // reads: DEFAULTED at once
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            GetFeaturesResponse r = FeatureStoreServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getFeatures(GetFeaturesRequest.newBuilder().setFeatureSetVersion("checkout-features@1")
                            .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId(broken.get(0)))
                            .addFeatureNames("account_age_days").build());
            assertEquals(FeatureStatus.FEATURE_STATUS_DEFAULTED, r.getFeatures(0).getStatus());
            assertEquals(0, r.getFeatures(0).getValue().getLongValue());
        } finally {
            channel.shutdownNow();
        }

        api("viewer").queryParam("feature", "account_age_days").queryParam("segment", "login_method=social")
                .when().get("/health/features").then().statusCode(200)
                .body("[0].alarms", org.hamcrest.Matchers.hasItem("DEFAULT_RATE"));
        List<Map<String, Object>> all = api("viewer").queryParam("feature", "account_age_days").when().get("/health/features")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertTrue(all.size() > 10, "segments: " + all.size());
        for (Map<String, Object> h : all) {
            if (!"login_method=social".equals(h.get("segment"))) {
                assertEquals(List.of(), h.get("alarms"), h.get("segment") + " should be quiet: " + h);
            }
        }

        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "vigil_feature_health{feature=\"account_age_days\",metric=\"alarms\",segment=\"login_method=social\"}"));

        FeatureHealthChanged event = awaitAlarm();
        assertEquals("login_method", event.getSegment().getAttribute());
        assertEquals("social", event.getSegment().getValue());
        assertTrue(event.getValue() > event.getAlarmLevel(), event.toString());
    }

    /** The re-baseline tests' operator: the audit names the token's subject. */
    static RequestSpecification api() {
        return given().contentType(ContentType.JSON).header("Authorization", TestTokens.bearer("operator",
                "risk-ops@example"));
    }

    @Test
    void shouldRebaselineASegmentWithAnAuditAndRecoverItsAlarm() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // email_age_days arrives as its sentinel 0 for social logins, then the change is declared intended.
        for (int batch = 0; batch < 8; batch++) {
            sendEmailAges(run + "-h" + batch, 100, false);
        }
        for (int batch = 0; batch < 4; batch++) {
            sendEmailAges(run + "-b" + batch, 100, true);
        }
        api().post("/health/features/evaluate").then().statusCode(200);
        api().queryParam("feature", "email_age_days").queryParam("segment", "login_method=social")
                .get("/health/features").then().statusCode(200)
                .body("[0].alarms", org.hamcrest.Matchers.hasItem("DEFAULT_RATE"));

        String body = "{\"feature\": \"email_age_days\", \"segment\": \"login_method=social\", "
                + "\"reason\": \"social sign-up no longer shares the email age (intended)\"}";
        given().contentType(ContentType.JSON).body(body).post("/health/features/rebaseline")
                .then().statusCode(401).contentType("application/problem+json");
        api("viewer").contentType(ContentType.JSON).body(body).post("/health/features/rebaseline")
                .then().statusCode(403).contentType("application/problem+json");
        api().body("{\"feature\": \"email_age_days\", \"segment\": \"login_method=social\", \"reason\": \" \"}")
                .post("/health/features/rebaseline")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("reason"));
        api().body(body.replace("login_method=social", "country=Canada")).post("/health/features/rebaseline")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("segment"));
        api().body(body.replace("\"email_age_days\"", "\"shoe_size\"")).post("/health/features/rebaseline")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("feature"));

        api().body(body).post("/health/features/rebaseline").then().statusCode(200)
                .body("actor", equalTo("risk-ops@example"))
                .body("feature", equalTo("email_age_days"))
                .body("segment", equalTo("login_method=social"))
                .body("features_reset", org.hamcrest.Matchers.contains("email_age_days"))
                .body("alarms_cleared", org.hamcrest.Matchers.hasItem("email_age_days login_method=social DEFAULT_RATE"));
        // The alarms gauge clears with the alarm, before any new evaluation.
        api().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "vigil_feature_health{feature=\"email_age_days\",metric=\"alarms\",segment=\"login_method=social\"} 0.0"));
        api().post("/health/features/evaluate").then().statusCode(200);
        api().queryParam("feature", "email_age_days").queryParam("segment", "login_method=social")
                .get("/health/features").then().statusCode(200)
                .body("[0].alarms", org.hamcrest.Matchers.empty());
        api().get("/health/features/rebaselines").then().statusCode(200)
                .body("reason", org.hamcrest.Matchers.hasItem("social sign-up no longer shares the email age (intended)"));
        FeatureHealthChanged recovery = awaitHealthEvent("email_age_days", FeatureHealthState.FEATURE_HEALTH_STATE_RECOVERED,
                "re-baselined");
        assertEquals("social", recovery.getSegment().getValue());
        assertTrue(recovery.getDetail().contains("risk-ops@example"), recovery.getDetail());
    }

    @Inject
    FeatureHealthMonitor monitor;

    @Test
    void shouldApplyARebaselineMadeThroughAnotherInstance() throws Exception {
        // Health windows live in each instance's memory: a re-baseline audited by another replica must reach this one.
        StringBuilder body = new StringBuilder("{\"producer\": \"account-profile\", \"updates\": [");
        for (int i = 0; i < 20; i++) {
            body.append(i == 0 ? "" : ",").append("{\"event_id\": \"").append(UUID.randomUUID())
                    .append("\", \"entity\": {\"type\": \"account\", \"id\": \"other-").append(i)
                    .append("\"}, \"event_time\": \"").append(Instant.now())
                    .append("\", \"fields\": {\"email_domain_free\": true}}");
        }
        api("producer").contentType(ContentType.JSON).body(body.append("]}").toString()).post("/features/batch").then().statusCode(200);
        assertTrue(!monitor.engine().bucketCounts("email_domain_free").isEmpty());

        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, props);
                java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO health_rebaseline (actor, reason, feature, segment, features_reset, "
                    + "alarms_cleared) VALUES ('bob', 'fixed upstream', 'email_domain_free', 'all', "
                    + "'[\"email_domain_free\"]', '[]')");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!monitor.engine().bucketCounts("email_domain_free").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(Map.of(), monitor.engine().bucketCounts("email_domain_free"),
                "the window is dropped within features.health.rebaseline-refresh");
    }

    @Test
    void shouldFoldFreeFormSegmentValuesIntoOtherSoSegmentsAndGaugesStayBounded() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // 10,000 distinct junk values for every segment attribute (a producer putting a request id there).
        for (int batch = 0; batch < 10; batch++) {
            StringBuilder body = new StringBuilder("{\"producer\": \"account-profile\", \"updates\": [");
            for (int i = 0; i < 1000; i++) {
                String junk = run + "-" + batch + "-" + i;
                body.append(i == 0 ? "" : ",").append("{\"event_id\": \"").append(UUID.randomUUID())
                        .append("\", \"entity\": {\"type\": \"account\", \"id\": \"junk-").append(junk)
                        .append("\"}, \"event_time\": \"").append(Instant.now())
                        .append("\", \"fields\": {\"email_domain_free\": ").append(i % 3 == 0)
                        .append("}, \"attributes\": {\"country\": \"c-").append(junk).append("\", \"region\": \"r-")
                        .append(junk).append("\", \"customer_age_band\": \"b-").append(junk)
                        .append("\", \"channel\": \"ch-").append(junk).append("\", \"login_method\": \"l-")
                        .append(junk).append("\"}}");
            }
            body.append("]}");
            api("producer").contentType(ContentType.JSON).body(body.toString()).post("/features/batch").then()
                    .statusCode(200).body("applied", equalTo(1000));
        }
        api().post("/health/features/evaluate").then().statusCode(200);
        List<String> segments = api().queryParam("feature", "email_domain_free").get("/health/features")
                .then().statusCode(200).extract().jsonPath().getList("segment", String.class);
        // At most the contract's levels plus "other" per attribute, and the whole population: 31 (SegmentLevelsTest).
        assertTrue(segments.size() <= 31, segments.toString());
        assertTrue(segments.containsAll(List.of("country=other", "region=other", "customer_age_band=other",
                "channel=other", "login_method=other")), segments.toString());
        assertTrue(segments.stream().noneMatch(s -> s.contains(run)), segments.toString());
        String metrics = api().get("/q/metrics").then().statusCode(200).extract().asString();
        long gauges = metrics.lines().filter(l -> l.startsWith("vigil_feature_health{feature=\"email_domain_free\""))
                .filter(l -> l.contains("metric=\"alarms\"")).count();
        // One gauge per segment ever seen for the feature (other tests feed it real levels too): within the bound.
        assertTrue(gauges >= segments.size() && gauges <= 31, gauges + " alarms gauges");
        assertTrue(metrics.lines().noneMatch(l -> l.contains(run)), "no gauge carries a junk value");
    }

    private void sendEmailAges(String prefix, int n, boolean broken) {
        StringBuilder body = new StringBuilder("{\"producer\": \"account-profile\", \"updates\": [");
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            boolean social = random.nextInt(10) < 4;
            long age = broken && social ? 0 : 1 + random.nextInt(3000);
            body.append(i == 0 ? "" : ",").append("{\"event_id\": \"").append(UUID.randomUUID())
                    .append("\", \"entity\": {\"type\": \"account\", \"id\": \"email-").append(prefix).append("-")
                    .append(i).append("\"}, \"event_time\": \"").append(now).append("\", \"fields\": {\"email_age_days\": ")
                    .append(age).append(", \"login_method\": \"").append(social ? "social" : "password")
                    .append("\"}, \"attributes\": {\"channel\": \"web\"}}");
        }
        body.append("]}");
        api("producer").contentType(ContentType.JSON).body(body.toString()).post("/features/batch").then()
                .statusCode(200).body("applied", equalTo(n));
    }

    private static FeatureHealthChanged awaitHealthEvent(String feature, FeatureHealthState state, String detail) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "health-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTopics.FEATURE_HEALTH));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    FeatureHealthChanged e = FeatureHealthChanged.parseFrom(record.value());
                    if (e.getFeature().equals(feature) && e.getState() == state && e.getDetail().contains(detail)) {
                        return e;
                    }
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return fail("no " + state + " for " + feature + " (" + detail + ") on " + EventTopics.FEATURE_HEALTH + " within 30 s");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown feature   | feature=shoe_size        | feature",
            "malformed segment | segment=social           | segment",
            "unknown attribute | segment=favourite=blue   | segment",
    })
    void shouldRefuseABadHealthQueryNamingTheField(String title, String query, String field) {
        String[] kv = query.split("=", 2);
        api("viewer").queryParam(kv[0], kv[1]).when().get("/health/features")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }

    private List<String> sendBatch(String prefix, int n, boolean broken) {
        StringBuilder body = new StringBuilder("{\"producer\": \"account-profile\", \"updates\": [");
        List<String> brokenAccounts = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            String account = "seed-" + prefix + "-" + i;
            int c = random.nextInt(10) < 4 ? 0 : random.nextInt(10);
            boolean social = random.nextInt(10) < 4;
            long age = broken && social ? 0 : 1 + (long) Math.exp(random.nextDouble() * 8);
            if (broken && social) {
                brokenAccounts.add(account);
            }
            body.append(i == 0 ? "" : ",").append("{\"event_id\": \"").append(UUID.randomUUID())
                    .append("\", \"entity\": {\"type\": \"account\", \"id\": \"").append(account)
                    .append("\"}, \"event_time\": \"").append(now).append("\", \"fields\": {\"account_age_days\": ").append(age)
                    .append(", \"login_method\": \"").append(social ? "social" : "password")
                    .append("\", \"country\": \"").append(COUNTRIES[c]).append("\", \"region\": \"").append(REGIONS[c])
                    .append("\", \"customer_age_band\": \"").append(BANDS[random.nextInt(BANDS.length)])
                    .append("\", \"email_age_days\": ").append(1 + random.nextInt(3000))
                    .append(", \"email_domain_free\": ").append(random.nextBoolean())
                    .append(", \"password_reset_7d\": false}, \"attributes\": {\"channel\": \"")
                    .append(CHANNELS[random.nextInt(CHANNELS.length)]).append("\"}}");
        }
        body.append("]}");
        api("producer").contentType(ContentType.JSON).body(body.toString()).when().post("/features/batch")
                .then().statusCode(200).body("applied", equalTo(n));
        return brokenAccounts;
    }

    private static FeatureHealthChanged awaitAlarm() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "health-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTopics.FEATURE_HEALTH));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    CloudEventHeaders headers = CloudEventHeaders.readFrom(record.headers());
                    assertEquals("vigil.events.v1.FeatureHealthChanged", headers.type());
                    FeatureHealthChanged e = FeatureHealthChanged.parseFrom(record.value());
                    if (e.getFeature().equals("account_age_days") && e.getState() == FeatureHealthState.FEATURE_HEALTH_STATE_ALARM
                            && e.getMetric() == FeatureHealthMetric.FEATURE_HEALTH_METRIC_DEFAULT_RATE) {
                        assertEquals("account_age_days|login_method=social", record.key());
                        return e;
                    }
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        fail("no DEFAULT_RATE alarm for account_age_days on " + EventTopics.FEATURE_HEALTH + " within 30 s");
        return null;
    }
}
