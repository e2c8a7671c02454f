package io.vigil.features;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.restassured.http.ContentType;
import io.vigil.contracts.events.v1.FeatureUpdate;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * Ingest (REST and Kafka), quarantine and replay, idempotent and out-of-order writes, and GetFeatures over a real
 * gRPC channel, against real PostgreSQL and Kafka. Shares the application (same test resource) with FoundationTest.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "vigil_features"))
class FeatureStoreTest {

    /** REST calls carry a bearer token with the role the call needs: the one place this class says so. */
    private static RequestSpecification api(String role) {
        return given().header("Authorization", TestTokens.bearer(role, "feature-test"));
    }

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
    void shouldServeEachStatusInTheFeatureSetsTerms() {
        String account = "acc-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        post("account-profile", update(account, now.minusSeconds(60), """
                {"account_age_days": 420, "login_method": "social", "customer_age_band": "25-34", "country": "",
                 "region": "NA", "email_age_days": 0, "email_domain_free": true, "password_reset_7d": false,
                 "prior_orders": 7}"""))
                .body("accepted", equalTo(6)).body("flagged", equalTo(3)).body("rejected", equalTo(0));
        post("txn-aggregator", update(account, now.minus(Duration.ofDays(3)), """
                {"txn_count_24h": 5, "txn_count_1h": 1, "amount_sum_24h": 80.5, "prior_chargebacks": 0,
                 "distinct_cards_24h": 1, "prior_orders": 6, "avg_order_amount": 40.0}"""));

        Map<String, ServedFeature> served = get(account, "checkout-features@1", "account_age_days", "country",
                "email_age_days", "prior_orders", "txn_count_24h", "login_method");
        assertServed(served.get("account_age_days"), FeatureStatus.FEATURE_STATUS_OK, FeatureValue.newBuilder().setLongValue(420).build());
        assertServed(served.get("country"), FeatureStatus.FEATURE_STATUS_DEFAULTED, FeatureValue.newBuilder().setStringValue("").build());
        assertServed(served.get("email_age_days"), FeatureStatus.FEATURE_STATUS_DEFAULTED, FeatureValue.newBuilder().setLongValue(0).build());
        // prior_orders from account-profile (an undeclared source) is flagged; the older txn-aggregator value lost
        assertServed(served.get("prior_orders"), FeatureStatus.FEATURE_STATUS_DEFAULTED, FeatureValue.newBuilder().setLongValue(7).build());
        assertServed(served.get("txn_count_24h"), FeatureStatus.FEATURE_STATUS_STALE, FeatureValue.newBuilder().setLongValue(5).build());
        assertServed(served.get("login_method"), FeatureStatus.FEATURE_STATUS_OK, FeatureValue.newBuilder().setStringValue("social").build());
        assertEquals(now.minusSeconds(60), ProtoTime.toInstant(served.get("account_age_days").getEventTime()));

        Map<String, ServedFeature> missing = get("acc-never-seen-" + UUID.randomUUID(), "", "txn_count_1h");
        assertEquals(FeatureStatus.FEATURE_STATUS_MISSING, missing.get("txn_count_1h").getStatus());
        assertTrue(!missing.get("txn_count_1h").hasValue());
    }

    @Test
    void shouldServeAWholeFeatureSetForSeveralEntities() {
        String merchant = "m-" + UUID.randomUUID();
        post("merchant-risk", "{\"event_id\": \"" + UUID.randomUUID() + "\", \"entity\": {\"type\": \"merchant\", \"id\": \""
                + merchant + "\"}, \"event_time\": \"" + Instant.now() + "\", \"fields\": {\"merchant_category\": \"gaming\", "
                + "\"merchant_fraud_rate_90d\": 0.02}}");
        GetFeaturesResponse r = stub.withDeadlineAfter(5, TimeUnit.SECONDS).getFeatures(GetFeaturesRequest.newBuilder()
                .setFeatureSetVersion("checkout-features@1")
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId(merchant))
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_DEVICE).setId("dev-" + merchant))
                .build());
        assertEquals("checkout-features@1", r.getFeatureSetVersion());
        assertEquals(List.of("merchant_category:FEATURE_STATUS_OK", "merchant_fraud_rate_90d:FEATURE_STATUS_OK",
                "device_age_days:FEATURE_STATUS_MISSING"),
                r.getFeaturesList().stream().map(f -> f.getName() + ":" + f.getStatus()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown feature      | ENTITY_TYPE_ACCOUNT     | acc-1 | checkout-features@1 | account_age_days,nope,zilch | feature_names: not in checkout-features@1: nope, zilch",
            "unspecified entity   | ENTITY_TYPE_UNSPECIFIED | acc-1 | checkout-features@1 | account_age_days           | entities[0].type",
            "empty entity id      | ENTITY_TYPE_ACCOUNT     |       | checkout-features@1 | account_age_days           | entities[0].id",
            "unknown set version  | ENTITY_TYPE_ACCOUNT     | acc-1 | checkout-features@9 | account_age_days           | feature_set_version",
            "entity not requested | ENTITY_TYPE_ACCOUNT     | acc-1 | checkout-features@1 | merchant_category          | feature_names: no entity of their type requested: merchant_category",
    })
    void shouldRefuseABadRequestNamingTheField(String title, EntityType type, String id, String version, String names,
            String expected) {
        GetFeaturesRequest.Builder b = GetFeaturesRequest.newBuilder().setFeatureSetVersion(version)
                .addEntities(EntityKey.newBuilder().setType(type).setId(id == null ? "" : id));
        for (String n : names.split(",")) {
            b.addFeatureNames(n);
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).getFeatures(b.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(expected), e.getStatus().getDescription());
    }

    @Test
    void shouldIgnoreReplaysAndNeverLetAnOlderUpdateOverwriteANewerOne() {
        String account = "acc-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String e1 = update(account, now.minusSeconds(600), "{\"txn_count_1h\": 3}");
        post("txn-aggregator", e1).body("applied", equalTo(1));
        assertEquals(3, get(account, "", "txn_count_1h").get("txn_count_1h").getValue().getLongValue());

        String e2 = update(account, now.minusSeconds(300), "{\"txn_count_1h\": 9}");
        post("txn-aggregator", e2).body("applied", equalTo(1));
        // the cached entity was invalidated by the newer value
        assertEquals(9, get(account, "", "txn_count_1h").get("txn_count_1h").getValue().getLongValue());

        post("txn-aggregator", update(account, now.minusSeconds(1200), "{\"txn_count_1h\": 1}")).body("applied", equalTo(1));
        assertEquals(9, get(account, "", "txn_count_1h").get("txn_count_1h").getValue().getLongValue());
        assertEquals(now.minusSeconds(300), ProtoTime.toInstant(get(account, "", "txn_count_1h").get("txn_count_1h").getEventTime()));

        post("txn-aggregator", e1 + "," + e2).body("applied", equalTo(0)).body("duplicates", equalTo(2));
        assertEquals(9, get(account, "", "txn_count_1h").get("txn_count_1h").getValue().getLongValue());
    }

    @Test
    void shouldQuarantineRejectsAndStoreThemOnReplayAfterAContractFix() throws IOException {
        String account = "acc-" + UUID.randomUUID();
        post("account-profile", update(account, Instant.now().minusSeconds(30), "{\"account_age_days\": 40000, \"country\": \"XX\"}"))
                .body("rejected", equalTo(2)).body("results[0].rejected.reason", hasItem("OUT_OF_RANGE"));
        assertEquals(FeatureStatus.FEATURE_STATUS_MISSING,
                get(account, "checkout-features@1", "account_age_days").get("account_age_days").getStatus());

        api("operator").queryParam("feature", "account_age_days").queryParam("limit", 1000).when().get("/quarantine")
                .then().statusCode(200)
                .body("findAll { it.entity_id == '" + account + "' }.reason", equalTo(List.of("OUT_OF_RANGE")))
                .body("findAll { it.entity_id == '" + account + "' }[0].raw_payload", containsString("\"account_age_days\":40000"))
                .body("findAll { it.entity_id == '" + account + "' }[0].detail", containsString("outside [0, 36500]"));

        // the fix: version 2 widens the range (breaking for models on v1, so it must be acknowledged)
        String v2 = contractV1().replace("version: 1", "version: 2").replace("range: { min: 0, max: 36500 }", "range: { min: 0, max: 50000 }");
        api("admin").contentType("application/yaml").body(v2.getBytes(StandardCharsets.UTF_8)).when().post("/contracts")
                .then().statusCode(409).contentType("application/problem+json").body("field", equalTo("features"))
                .body("changes", hasItem(containsString("account_age_days: range")));
        api("admin").contentType("application/yaml").body(v2.getBytes(StandardCharsets.UTF_8)).queryParam("acknowledge_breaking", true).when().post("/contracts")
                .then().statusCode(201).body("feature_set_version", equalTo("checkout-features@2"));
        api("viewer").when().get("/contracts").then().statusCode(200).body("checkout-features", equalTo(List.of(1, 2)));

        api("operator").contentType(ContentType.JSON).body("{\"feature\": \"account_age_days\"}").when().post("/quarantine/replay")
                .then().statusCode(200).body("stored", equalTo(1));
        api("operator").contentType(ContentType.JSON).body("{}").when().post("/quarantine/replay")
                .then().statusCode(200).body("stored", equalTo(0)).body("results.findAll { it.feature == 'country' }.outcome", hasItem("REJECT"));

        // served in each model's terms: a v1 model must never see 40000; a v2 model may
        assertEquals(FeatureStatus.FEATURE_STATUS_VIOLATION,
                get(account, "checkout-features@1", "account_age_days").get("account_age_days").getStatus());
        ServedFeature v2Served = get(account, "checkout-features@2", "account_age_days").get("account_age_days");
        assertServed(v2Served, FeatureStatus.FEATURE_STATUS_OK, FeatureValue.newBuilder().setLongValue(40000).build());
    }

    @Test
    void shouldReportSchemaDriftNamingTheProducer() {
        String account = "acc-" + UUID.randomUUID();
        post("account-profile", update(account, Instant.now(), "{\"account_age_days\": 12, \"email_domain_free\": \"yes\", \"shoe_size\": 44}"))
                .body("results[0].drift.kind", hasItem("TYPE_CHANGED"));
        List<Map<String, Object>> drift = api("viewer").queryParam("producer", "account-profile").when().get("/drift")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, String> kinds = drift.stream().collect(Collectors.toMap(d -> (String) d.get("field") + "/" + d.get("kind"),
                d -> (String) d.get("producer"), (a, b) -> a));
        assertEquals("account-profile", kinds.get("email_domain_free/TYPE_CHANGED"), kinds.toString());
        assertEquals("account-profile", kinds.get("shoe_size/UNKNOWN_FIELD"), kinds.toString());
        assertEquals("account-profile", kinds.get("login_method/MISSING_FIELD"), kinds.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json         | {nope                                                                    | (body)",
            "no producer      | {\"updates\": []}                                                        | producer",
            "no updates       | {\"producer\": \"p\", \"updates\": []}                                   | updates",
            "no event id      | {\"producer\": \"p\", \"updates\": [{}]}                                 | updates[0].event_id",
            "bad entity type  | {\"producer\": \"p\", \"updates\": [{\"event_id\": \"e\", \"entity\": {\"type\": \"user\", \"id\": \"u\"}}]} | updates[0].entity.type",
            "bad event time   | {\"producer\": \"p\", \"updates\": [{\"event_id\": \"e\", \"entity\": {\"type\": \"account\", \"id\": \"u\"}, \"event_time\": \"yesterday\"}]} | updates[0].event_time",
            "future time      | {\"producer\": \"p\", \"updates\": [{\"event_id\": \"e\", \"entity\": {\"type\": \"account\", \"id\": \"u\"}, \"event_time\": \"2099-01-01T00:00:00Z\", \"fields\": {\"a\": 1}}]} | updates[0].event_time",
            "no fields        | {\"producer\": \"p\", \"updates\": [{\"event_id\": \"e\", \"entity\": {\"type\": \"account\", \"id\": \"u\"}, \"event_time\": \"2026-01-01T00:00:00Z\"}]} | updates[0].fields",
            "bad attribute    | {\"producer\": \"p\", \"updates\": [{\"event_id\": \"e\", \"entity\": {\"type\": \"account\", \"id\": \"u\"}, \"event_time\": \"2026-01-01T00:00:00Z\", \"fields\": {\"a\": 1}, \"attributes\": {\"country\": 3}}]} | updates[0].attributes.country",
    })
    void shouldRefuseAMalformedBatchWithAProblemNamingTheField(String title, String body, String field) {
        api("producer").contentType(ContentType.JSON).body(body).when().post("/features/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("field", equalTo(field));
    }

    @Test
    void shouldRefuseAnInvalidContractNamingTheField() {
        api("admin").contentType("application/yaml").body("feature_set: x\nversion: 1\nfeatures: [{name: a, entity: account, type: int, freshness: PT1H}]".getBytes(StandardCharsets.UTF_8))
                .when().post("/contracts").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("features[0].type"));
    }

    @Test
    void shouldIngestFromKafkaIdempotently() throws Exception {
        String merchant = "m-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(120);
        FeatureUpdate first = merchantUpdate(merchant, t0, 0.02, true);
        FeatureUpdate newer = merchantUpdate(merchant, t0.plusSeconds(60), 0.03, false);
        String firstId = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record(merchant, firstId, first)).get();
            producer.send(record(merchant, firstId, first)).get(); // redelivery of the same event
            producer.send(record(merchant, UUID.randomUUID().toString(), newer)).get();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            GetFeaturesResponse r = stub.withDeadlineAfter(5, TimeUnit.SECONDS).getFeatures(GetFeaturesRequest.newBuilder()
                    .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId(merchant))
                    .addFeatureNames("merchant_fraud_rate_90d").build());
            if (r.getFeatures(0).getValue().getDoubleValue() == 0.03) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("the Kafka updates were not applied within 60 s: " + r);
            }
            Thread.sleep(200);
        }
        // the unknown field came twice on the wire but once as an event: one drift occurrence
        List<Map<String, Object>> drift = api("viewer").queryParam("producer", "merchant-risk").when().get("/drift")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> mcc = drift.stream().filter(d -> "mcc_code".equals(d.get("field"))).findFirst().orElseThrow();
        assertEquals("UNKNOWN_FIELD", mcc.get("kind"));
        assertEquals(1, ((Number) mcc.get("occurrences")).intValue());
        assertEquals(firstId, mcc.get("last_event_id"));
    }

    private static FeatureUpdate merchantUpdate(String merchant, Instant t, double rate, boolean withUnknown) {
        FeatureUpdate.Builder b = FeatureUpdate.newBuilder().setProducer("merchant-risk")
                .setEntity(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId(merchant))
                .setEventTime(ProtoTime.of(t))
                .putFields("merchant_category", FeatureValue.newBuilder().setStringValue("travel").build())
                .putFields("merchant_fraud_rate_90d", FeatureValue.newBuilder().setDoubleValue(rate).build());
        if (withUnknown) {
            b.putFields("mcc_code", FeatureValue.newBuilder().setLongValue(4722).build());
        }
        return b.build();
    }

    private static ProducerRecord<String, byte[]> record(String key, String id, FeatureUpdate update) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(EventTopics.FEATURE_UPDATES, key, update.toByteArray());
        new CloudEventHeaders(id, "//vigil/test-producer", "vigil.events.v1.FeatureUpdate",
                ProtoTime.toInstant(update.getEventTime()), CloudEventHeaders.PROTOBUF).writeTo(r.headers());
        return r;
    }

    static String contractV1() throws IOException {
        try (InputStream in = FeatureStoreTest.class.getResourceAsStream("/feature-contracts/checkout-features-v1.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String update(String account, Instant eventTime, String fields) {
        return "{\"event_id\": \"" + UUID.randomUUID() + "\", \"entity\": {\"type\": \"account\", \"id\": \"" + account
                + "\"}, \"event_time\": \"" + eventTime + "\", \"fields\": " + fields + "}";
    }

    static io.restassured.response.ValidatableResponse post(String producer, String updates) {
        return api("producer").contentType(ContentType.JSON).body("{\"producer\": \"" + producer + "\", \"updates\": [" + updates + "]}")
                .when().post("/features/batch").then().statusCode(200);
    }

    static Map<String, ServedFeature> get(String account, String version, String... names) {
        GetFeaturesResponse r = stub.withDeadlineAfter(5, TimeUnit.SECONDS).getFeatures(GetFeaturesRequest.newBuilder()
                .setFeatureSetVersion(version)
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId(account))
                .addAllFeatureNames(List.of(names)).build());
        return r.getFeaturesList().stream().collect(Collectors.toMap(ServedFeature::getName, f -> f));
    }

    private static void assertServed(ServedFeature f, FeatureStatus status, FeatureValue value) {
        assertEquals(status, f.getStatus(), f.toString());
        assertEquals(value, f.getValue(), f.toString());
    }
}
