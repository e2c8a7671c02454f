package io.vigil.scoring;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.grpc.ManagedChannel;
import io.restassured.specification.RequestSpecification;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.events.v1.ArmRole;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.FallbackCause;
import io.vigil.contracts.scoring.v1.FeatureIssue;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.scoring.decisions.DecisionStore;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.scoring.testsupport.FakeFeatureStore;
import io.vigil.scoring.testsupport.FakeFeatureStoreResource;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.security.TestTokens;

/**
 * Score over a real gRPC channel against a real (fake-content) FeatureStore gRPC server, real PostgreSQL and Kafka.
 * The model is the 2-tree test model (src/test/resources/models/tiny): margin = (amount < 100 ? -1.0 : +1.0; missing
 * goes right) + (prior_chargebacks < 1 ? -0.5 : +1.5; missing goes left), base_score 0.5 (margin 0); cut-offs
 * step-up 0.3, review 0.6, decline 0.9 (test profile).
 */
@QuarkusTest
@QuarkusTestResource(value = io.vigil.testing.quarkus.VigilInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "vigil_scoring"))
@QuarkusTestResource(FakeFeatureStoreResource.class)
class ScoringServiceTest {

    FakeFeatureStore features;
    KafkaBroker broker;

    @Inject
    DecisionStore decisions;
    @Inject
    ScoringMetrics metrics;
    @Inject
    Scorer scorer;
    @Inject
    io.vertx.core.Vertx vertx;

    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        int port = io.vigil.testing.foundation.ServiceFoundationTests.grpcTestPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Inject
    io.vigil.scoring.policy.PolicyService policies;
    @Inject
    io.vigil.scoring.model.ModelRegistry models;

    /**
     * Every test starts from the same state whatever ran before it: a healthy feature store, the built-in policy,
     * tiny-2tree as the only model in the line-up, no audit trail.
     */
    @BeforeEach
    void baseline() throws Exception {
        features.reset();
        sql("DELETE FROM policy_audit", "DELETE FROM threshold_policy", "DELETE FROM model_audit",
                "DELETE FROM model_version WHERE version <> 'tiny-2tree'",
                "UPDATE model_version SET status = 'CHAMPION', challenger_share = 0 WHERE version = 'tiny-2tree'");
        policies.refresh().await().atMost(Duration.ofSeconds(10));
        models.refresh().await().atMost(Duration.ofSeconds(10));
        assertEquals("built-in", policies.current().version());
        assertEquals("tiny-2tree", models.current().champion().version());
        assertEquals(null, models.current().challenger());
        assertEquals(List.of(), models.current().shadows());
    }

    static void sql(String... statements) throws Exception {
        try (Connection c = database()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                for (String statement : statements) {
                    s.executeUpdate(statement);
                }
            }
            c.commit();
        }
    }

    static Connection database() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Properties props = new Properties();
        props.setProperty("user", ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(url, props);
    }

    /** Operator REST calls: the one place this class says who calls and with which token. */
    static RequestSpecification api() {
        return api("operator", "risk-ops@example");
    }

    static RequestSpecification api(String role, String subject) {
        return given().header("Authorization", TestTokens.bearer(role, subject));
    }

    static RiskScoringServiceGrpc.RiskScoringServiceBlockingStub scoring() {
        return RiskScoringServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static ScoreRequest.Builder request(String account, long amountMinor) {
        return ScoreRequest.newBuilder()
                .setTransactionId("tx-" + UUID.randomUUID())
                .setAccountId(account)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency("USD"))
                .setMerchantId("m-1")
                .setMerchantCategoryCode("5732")
                .setChannel(Channel.CHANNEL_WEB)
                .setCardBinCountry("CA")
                .setIpCountry("CA")
                .setBillingCountry("CA")
                .setDeviceId("d-1");
    }

    /** Every stored feature of the contract, OK, with prior_chargebacks as given. */
    void account(String id, ServedFeature chargebacks) {
        List<ServedFeature> f = new ArrayList<>(List.of(
                FakeFeatureStore.ok("account_age_days", 400L), FakeFeatureStore.ok("login_method", "password"),
                FakeFeatureStore.ok("customer_age_band", "18-24"), FakeFeatureStore.ok("country", "CA"),
                FakeFeatureStore.ok("region", "NA"), FakeFeatureStore.ok("txn_count_1h", 1L),
                FakeFeatureStore.ok("txn_count_24h", 3L), FakeFeatureStore.ok("amount_sum_24h", 120.0),
                FakeFeatureStore.ok("email_age_days", 900L), FakeFeatureStore.ok("email_domain_free", true),
                FakeFeatureStore.ok("distinct_cards_24h", 1L), FakeFeatureStore.ok("prior_orders", 12L),
                FakeFeatureStore.ok("avg_order_amount", 80.0), FakeFeatureStore.ok("password_reset_7d", false)));
        f.add(chargebacks);
        features.put(EntityType.ENTITY_TYPE_ACCOUNT, id, f);
        features.put(EntityType.ENTITY_TYPE_MERCHANT, "m-1", List.of(FakeFeatureStore.ok("merchant_category", "electronics"),
                FakeFeatureStore.ok("merchant_fraud_rate_90d", 0.01)));
        features.put(EntityType.ENTITY_TYPE_DEVICE, "d-1", List.of(FakeFeatureStore.ok("device_age_days", 30L)));
    }

    @Test
    void shouldBeWarmWhenReadyAndLeaveNoTraceOfTheWarmUp() throws Exception {
        // %test.scoring.warm-up.calls=200: all sent and answered over the service's own gRPC port before readiness.
        String state = given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'scoring warm-up' }.status", equalTo("UP"))
                .extract().path("checks.find { it.name == 'scoring warm-up' }.data.state");
        assertTrue(state.contains("200 Score calls (0 failed)"), state);
        assertTrue(state.contains("500 model runs"), state);
        assertTrue(state.contains(", 0 extra rounds, 200 claims rolled back;"), state);
        // The warm-up's payments were decided, their claims rolled back, nothing stored or published: nothing a
        // guardrail could count.
        try (Connection c = database(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM decision WHERE transaction_id LIKE 'vigil-warm-up-%'");
                ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(0, rs.getLong(1));
        }
    }

    @Test
    void shouldDecideAsWorkedOutByHand() {
        account("acct-risky", FakeFeatureStore.ok("prior_chargebacks", 2L));
        // amount 200 USD >= 100: +1.0; chargebacks 2 >= 1: +1.5; margin 2.5, p = 1 / (1 + e^-2.5) = 0.92414..., >= 0.9
        ScoreResponse r = scoring().score(request("acct-risky", 200_00).build());

        assertEquals(1.0 / (1.0 + Math.exp(-2.5)), r.getScore(), 1e-6);
        assertEquals(Decision.DECISION_DECLINE, r.getDecision());
        assertFalse(r.getFallback());
        assertEquals(FallbackCause.FALLBACK_CAUSE_NONE, r.getFallbackCause());
        assertEquals(Arm.ARM_CHAMPION, r.getArm());
        assertEquals("tiny-2tree", r.getModelVersion());
        assertEquals("built-in", r.getPolicyVersion());
        assertEquals("default", r.getCohort());
        assertEquals(List.of(), r.getFeatureIssuesList());
        // TreeSHAP by hand: tree 1 leaf 1.5 minus its mean 0.6 * -0.5 + 0.4 * 1.5 = 0.3 gives 1.2;
        // tree 0 leaf 1.0 minus its mean 0.5 * -1 + 0.5 * 1 = 0 gives 1.0.
        assertEquals(2, r.getReasonsCount());
        assertEquals("PRIOR_CHARGEBACKS", r.getReasons(0).getCode());
        assertEquals("prior_chargebacks", r.getReasons(0).getFeature());
        assertEquals(1.2, r.getReasons(0).getContribution(), 1e-6);
        assertEquals("amount", r.getReasons(1).getFeature());
        assertEquals(1.0, r.getReasons(1).getContribution(), 1e-6);
        assertTrue(r.getDecisionId().length() >= 32);
        assertEquals("checkout-features@1", features.lastRequest().getFeatureSetVersion());
    }

    @Test
    void shouldScoreAFlaggedFeatureAsMissingNotAsItsValue() {
        account("acct-flagged", FakeFeatureStore.flagged("prior_chargebacks", FeatureStatus.FEATURE_STATUS_DEFAULTED, 5));
        // Missing chargebacks go left (-0.5), not the flagged 5 (+1.5): margin 0.5, p = 0.6225, review band.
        ScoreResponse r = scoring().score(request("acct-flagged", 200_00).build());

        assertEquals(1.0 / (1.0 + Math.exp(-0.5)), r.getScore(), 1e-6);
        assertEquals(Decision.DECISION_REVIEW, r.getDecision());
        assertEquals(List.of(FeatureIssue.newBuilder().setFeature("prior_chargebacks").setStatus("DEFAULTED").build()),
                r.getFeatureIssuesList());
    }

    @Test
    void shouldNeverGiveAMissingFeatureAsAReason() {
        account("acct-chf", FakeFeatureStore.ok("prior_chargebacks", 2L));
        // CHF has no USD rate: amount is missing and follows tree 0's default (right, +1.0); with chargebacks +1.5
        // the margin is 2.5 again. TreeSHAP credits the missing amount with +1.0, but it is no reason to give.
        ScoreResponse r = scoring().score(request("acct-chf", 200_00)
                .setAmount(Money.newBuilder().setAmountMinor(200_00).setCurrency("CHF")).build());

        assertEquals(1.0 / (1.0 + Math.exp(-2.5)), r.getScore(), 1e-6);
        assertEquals(1, r.getReasonsCount());
        assertEquals("prior_chargebacks", r.getReasons(0).getFeature());
    }

    @Test
    void shouldFallBackWhenFeaturesTimeOut() {
        account("acct-slow", FakeFeatureStore.ok("prior_chargebacks", 0L));
        features.delay(5_000);
        double before = metrics.fallbacks(FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT);

        ScoreResponse small = scoring().score(request("acct-slow", 200_00).build());
        ScoreResponse large = scoring().score(request("acct-slow", 900_00).build());

        assertTrue(small.getFallback());
        assertEquals(FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT, small.getFallbackCause());
        assertEquals(Decision.DECISION_APPROVE, small.getDecision(), "below 500 USD, countries agree");
        assertEquals(Decision.DECISION_STEP_UP, large.getDecision(), "900 USD is at or above the 500 USD step-up amount");
        assertEquals(FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT, large.getFallbackCause());
        assertEquals(before + 2, metrics.fallbacks(FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT));
    }

    @Test
    void shouldFallBackWhenFeatureServiceFails() {
        features.fail(Status.INTERNAL.withDescription("boom"));
        ScoreResponse r = scoring().score(request("acct-any", 200_00).setIpCountry("US").build());

        assertTrue(r.getFallback());
        assertEquals(FallbackCause.FALLBACK_CAUSE_FEATURE_UNAVAILABLE, r.getFallbackCause());
        assertEquals(Decision.DECISION_STEP_UP, r.getDecision(), "billing CA vs IP US is a mismatch");
    }

    @Test
    void shouldFallBackWhenOverloaded() {
        account("acct-busy", FakeFeatureStore.ok("prior_chargebacks", 2L));
        int taken = 0;
        while (metrics.enter(256)) {
            taken++;
        }
        try {
            ScoreResponse r = scoring().score(request("acct-busy", 200_00).build());
            assertTrue(r.getFallback());
            assertEquals(FallbackCause.FALLBACK_CAUSE_OVERLOAD, r.getFallbackCause());
            assertEquals(Decision.DECISION_APPROVE, r.getDecision(), "the rule, not the model's DECLINE");
        } finally {
            for (int i = 0; i < taken; i++) {
                metrics.exit();
            }
        }
    }

    @Test
    void shouldFallBackWithoutTryingWhenTheCallerLeftNoTime() {
        account("acct-late", FakeFeatureStore.ok("prior_chargebacks", 2L));
        int callsBefore = features.calls();
        // 0.5 ms left, below the 1 ms minimum: no feature call, the rule answers at once.
        ScoreResponse r = scorer.score(request("acct-late", 900_00).build(), 500_000L).await().atMost(Duration.ofSeconds(5));
        assertTrue(r.getFallback());
        assertEquals(FallbackCause.FALLBACK_CAUSE_DEADLINE, r.getFallbackCause());
        assertEquals(Decision.DECISION_STEP_UP, r.getDecision(), "900 USD: step up, never review or decline");
        assertEquals(callsBefore, features.calls());
    }

    @Test
    void shouldAnswerWhenTheCallerLeftJustTheMinimum() {
        account("acct-just-in-time", FakeFeatureStore.ok("prior_chargebacks", 0L));
        // Exactly the 1 ms minimum: the time left for the model is a hair under 1 ms, which a Vert.x timer refuses.
        // Found by the demo, where such calls failed with INVALID_ARGUMENT; the checkout must get an answer.
        // On a Vert.x event loop, as gRPC calls run: that is where Mutiny's timers are Vert.x timers.
        java.util.concurrent.CompletableFuture<ScoreResponse> answer = new java.util.concurrent.CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> scorer
                .score(request("acct-just-in-time", 200_00).build(), 1_000_000L)
                .subscribe().with(answer::complete, answer::completeExceptionally));
        ScoreResponse r = answer.orTimeout(5, TimeUnit.SECONDS).join();
        // Whether the model made it in time depends on the machine; either way the answer must be coherent: flagged
        // exactly when it has a cause, the rule's APPROVE (200 USD, countries agree) or the model's REVIEW (p 0.6225).
        assertEquals(r.getFallback(), r.getFallbackCause() != FallbackCause.FALLBACK_CAUSE_NONE, r.toString());
        assertEquals(r.getFallback() ? Decision.DECISION_APPROVE : Decision.DECISION_REVIEW, r.getDecision(),
                r.toString());
        UUID.fromString(r.getDecisionId());
    }

    @Test
    void shouldShrinkTheBudgetToTheCallersDeadline() throws Exception {
        features.delay(5_000);
        ScoreRequest req = request("acct-deadline", 200_00).build();
        // Budget 1 s (feature share 500 ms) would outlive this 150 ms deadline; the call must still answer.
        ScoreResponse r = RiskScoringServiceGrpc.newBlockingStub(channel).withDeadlineAfter(150, TimeUnit.MILLISECONDS)
                .score(req);

        assertTrue(r.getFallback());
        assertEquals(FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT, r.getFallbackCause());
        DecisionMade event = awaitEvent(req.getTransactionId()).event();
        assertTrue(event.getTimings().getBudgetUs() <= 150_000, "budget " + event.getTimings().getBudgetUs() + " us");
        assertTrue(event.getTimings().getBudgetUs() > 0);
    }

    @Test
    void shouldReturnTheSameDecisionForTheSameTransaction() throws Exception {
        account("acct-idem", FakeFeatureStore.ok("prior_chargebacks", 0L));
        ScoreRequest req = request("acct-idem", 50_00).build();
        ScoreResponse first = scoring().score(req);
        ScoreResponse again = scoring().score(req);
        assertEquals(first, again);

        // From PostgreSQL once the in-memory copy is gone.
        awaitDecisionRow(req.getTransactionId());
        decisions.forgetCached(req.getTransactionId());
        ScoreResponse fromDatabase = scoring().score(req);
        assertEquals(first.getDecisionId(), fromDatabase.getDecisionId());
        assertEquals(first.getDecision(), fromDatabase.getDecision());
    }

    @Test
    void shouldRejectAReusedTransactionIdWithADifferentPayload() throws Exception {
        account("acct-reuse", FakeFeatureStore.ok("prior_chargebacks", 0L));
        ScoreRequest req = request("acct-reuse", 50_00).build();
        scoring().score(req);
        ScoreRequest changed = req.toBuilder().setAmount(Money.newBuilder().setAmountMinor(60_00).setCurrency("USD")).build();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> scoring().score(changed));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("transaction_id:"), e.getStatus().getDescription());

        awaitDecisionRow(req.getTransactionId());
        decisions.forgetCached(req.getTransactionId());
        StatusRuntimeException fromDb = assertThrows(StatusRuntimeException.class, () -> scoring().score(changed));
        assertEquals(Status.Code.ALREADY_EXISTS, fromDb.getStatus().getCode());
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("transaction_id", b -> b.clearTransactionId()),
                bad("account_id", b -> b.clearAccountId()),
                bad("amount", b -> b.clearAmount()),
                bad("amount.amount_minor", b -> b.setAmount(Money.newBuilder().setAmountMinor(0).setCurrency("USD"))),
                bad("amount.amount_minor", b -> b.setAmount(Money.newBuilder().setAmountMinor(-5).setCurrency("USD"))),
                bad("amount.amount_minor", b -> b.setAmount(Money.newBuilder().setAmountMinor(Long.MAX_VALUE).setCurrency("USD"))),
                bad("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(100).setCurrency("usd"))),
                bad("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(100).setCurrency("XYZ"))),
                bad("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(100).setCurrency("US"))),
                bad("channel", b -> b.setChannel(Channel.CHANNEL_UNSPECIFIED)),
                bad("channel", b -> b.setChannelValue(42)),
                bad("card_bin_country", b -> b.setCardBinCountry("ca")),
                bad("ip_country", b -> b.setIpCountry("ZZ")),
                bad("billing_country", b -> b.setBillingCountry("CAN")),
                bad("merchant_category_code", b -> b.setMerchantCategoryCode("57A2")),
                bad("merchant_category_code", b -> b.setMerchantCategoryCode("573")));
    }

    static Arguments bad(String field, UnaryOperator<ScoreRequest.Builder> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldRejectBadInputNamingTheField(String field, UnaryOperator<ScoreRequest.Builder> change) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> scoring().score(change.apply(request("acct-bad", 100_00)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith(field + ":"), e.getStatus().getDescription());
    }

    @Test
    void shouldPublishEveryDecisionAsACloudEvent() throws Exception {
        account("acct-event", FakeFeatureStore.ok("prior_chargebacks", 2L));
        // A replayed payment from a simulated day long past: the event is stamped with the payment's time.
        com.google.protobuf.Timestamp paid = com.google.protobuf.Timestamp.newBuilder().setSeconds(1_735_700_400L).build();
        ScoreRequest req = request("acct-event", 200_00).setCardBin("450060").setCreatedAt(paid).build();
        ScoreResponse r = scoring().score(req);

        Received received = awaitEvent(req.getTransactionId());
        assertEquals("vigil.events.v1.DecisionMade", received.headers().type());
        assertEquals(java.time.Instant.ofEpochSecond(1_735_700_400L), received.headers().time(), "ce_time is event time");
        assertEquals(paid, received.event().getPaymentCreatedAt());
        // Slicing attributes: the request's, and the stored features' labels as served (see account()).
        assertEquals(io.vigil.contracts.events.v1.DecisionAttributes.newBuilder().setCountry("CA").setRegion("NA")
                .setCustomerAgeBand("18-24").setChannel("web").setLoginMethod("password").setMerchantId("m-1")
                .setMerchantCategoryCode("5732").setMerchantCategory("electronics").setDeviceId("d-1")
                .setCardBin("450060").setCardIssuerCountry("CA").setIpCountry("CA").setBillingCountry("CA")
                .setAmountUsd(200.0).build(), received.event().getAttributes());
        assertEquals(CloudEventHeaders.sourceOf("scoring-service"), received.headers().source());
        assertEquals(CloudEventHeaders.PROTOBUF, received.headers().contentType());
        DecisionMade e = received.event();
        assertEquals(r.getDecisionId(), e.getDecisionId());
        assertEquals(Decision.DECISION_DECLINE, e.getDecision());
        assertEquals("built-in", e.getPolicyVersion());
        assertEquals(30, e.getFeaturesCount());
        assertEquals("amount", e.getFeatures(0).getName());
        assertEquals(200.0, e.getFeatures(0).getValue(), 1e-9);
        assertEquals(1, e.getArmScoresCount());
        assertEquals(ArmRole.ARM_ROLE_CHAMPION, e.getArmScores(0).getRole());
        assertEquals(r.getScore(), e.getArmScores(0).getScore(), 1e-12);
        assertTrue(e.getArmScores(0).getDecided());
        assertTrue(e.getTimings().getTotalUs() > 0);

        api().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_decisions_total{arm=\"ARM_CHAMPION\","
                        + "cohort=\"default\",decision=\"DECISION_DECLINE\",fallback_cause=\"FALLBACK_CAUSE_NONE\"}"))
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_fallbacks_total{cause=\"FALLBACK_CAUSE_FEATURE_TIMEOUT\"}"))
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_feature_fetch_seconds_bucket"))
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_model_seconds_bucket"))
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_total_seconds_bucket"))
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_in_flight"));
    }


    // ---- Operator APIs: policies and models over REST, taking effect without restart ----

    @Test
    void shouldCreateValidateActivateAndAuditPolicies() {
        account("acct-ca-young", FakeFeatureStore.ok("prior_chargebacks", 0L));
        String body = """
                {"version": "p-ca-young", "reason": "CA 18-24 incorrect approvals rose from 2.0% to 3.1%",
                 "rules": [
                   {"name": "default", "step_up": 0.3, "review": 0.6, "decline": 0.9},
                   {"name": "CA-18-24", "country": "CA", "age_band": "18-24", "step_up": 0.2, "review": 0.5, "decline": 0.6}
                 ]}""";
        given().contentType("application/json").body(body).post("/policies")
                .then().statusCode(401).contentType("application/problem+json");
        api("operator", "risk-ops@example").contentType("application/json")
                .body(body.replace("\"review\": 0.5", "\"review\": 0.1")).post("/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("rules[1].review")).body("status", equalTo(400));
        api().get("/policies/p-ca-young").then().statusCode(404);
        api("operator", "risk-ops@example").contentType("application/json")
                .body("{\"version\": \"p-x\", \"reason\": \"r\", \"rules\": [{\"name\": \"d\", \"step_up\": \"high\"}]}")
                .post("/policies").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("rules[0].step_up"));

        api("operator", "risk-ops@example").contentType("application/json").body(body).post("/policies")
                .then().statusCode(201).body("status", equalTo("DRAFT")).body("created_by", equalTo("risk-ops@example"));
        api("operator", "risk-ops@example").contentType("application/json").body(body).post("/policies")
                .then().statusCode(409);

        // amount 200 USD: +1.0; chargebacks 0: -0.5; margin 0.5, p = 0.6225
        ScoreResponse before = scoring().score(request("acct-ca-young", 200_00).build());
        assertEquals("default", before.getCohort());
        assertEquals(Decision.DECISION_REVIEW, before.getDecision(), "0.6 <= 0.6225 < 0.9");

        api("operator", "lead@example").contentType("application/json")
                .body("{\"reason\": \"tighten CA 18-24\"}").post("/policies/p-ca-young/activate")
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
        ScoreResponse after = scoring().score(request("acct-ca-young", 200_00).build());
        assertEquals("CA-18-24", after.getCohort());
        assertEquals("p-ca-young", after.getPolicyVersion());
        assertEquals(Decision.DECISION_DECLINE, after.getDecision(), "0.6225 >= the cohort's 0.6 decline cut-off");
        api("operator", "lead@example").contentType("application/json")
                .body("{\"reason\": \"x\"}").post("/policies/nope/activate").then().statusCode(404);

        api().get("/policies/audit").then().statusCode(200)
                .body("action", contains("CREATE", "ACTIVATE"))
                .body("actor", contains("risk-ops@example", "lead@example"))
                .body("reason[1]", equalTo("tighten CA 18-24"))
                .body("diff[1].from", equalTo("built-in"))
                .body("diff[1].to", equalTo("p-ca-young"))
                .body("diff[1].added", contains("CA-18-24"));
        api().get("/policies").then().statusCode(200).body("version", contains("p-ca-young"))
                .body("status", contains("ACTIVE"));
    }

    static byte[] tinyModel(double rightLeafOfTree0) throws Exception {
        String json = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/models/tiny/model.json"));
        String changed = json.replace("[100.0, -1.0, 1.0]", "[100.0, -1.0, " + rightLeafOfTree0 + "]");
        assertFalse(json.equals(changed), "test model layout changed");
        return changed.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shouldRegisterAndRouteChallengerAndShadowModels() throws Exception {
        account("acct-models", FakeFeatureStore.ok("prior_chargebacks", 0L));
        api().get("/models").then().statusCode(200).body("version", contains("tiny-2tree"))
                .body("status", contains("CHAMPION")).body("trees", contains(2));
        api().contentType("application/json").body("{\"version\": \"evil\", \"path\": \"../../pom.xml\"}")
                .post("/models").then().statusCode(400).body("field", equalTo("path"));
        api().contentType("application/octet-stream").body("{\"not\": \"xgboost\"}".getBytes())
                .post("/models/broken/upload").then().statusCode(400).body("field", equalTo("model"));
        api().contentType("application/json").body("{\"version\": \"tiny-copy\", \"path\": \"tiny/model.json\"}")
                .post("/models").then().statusCode(201).body("status", equalTo("REGISTERED"));
        api().contentType("application/octet-stream").body(tinyModel(2.0)).post("/models/tiny-b/upload")
                .then().statusCode(201);
        api().contentType("application/octet-stream").body(tinyModel(3.0)).post("/models/tiny-s/upload")
                .then().statusCode(201);

        api().contentType("application/json").body("{\"role\": \"CHALLENGER\", \"share\": 1.5, \"reason\": \"try\"}")
                .post("/models/tiny-b/activate").then().statusCode(400).body("field", equalTo("share"));
        api().contentType("application/json").body("{\"role\": \"CHALLENGER\", \"share\": 1.0, \"reason\": \"try b\"}")
                .post("/models/tiny-b/activate").then().statusCode(200).body("status", equalTo("CHALLENGER"));
        api().contentType("application/json").body("{\"role\": \"SHADOW\", \"reason\": \"watch s\"}")
                .post("/models/tiny-s/activate").then().statusCode(200).body("status", equalTo("SHADOW"));

        ScoreRequest req = request("acct-models", 200_00).build();
        ScoreResponse r = scoring().score(req);
        // challenger: 2.0 - 0.5 = 1.5; champion 1.0 - 0.5 = 0.5; shadow 3.0 - 0.5 = 2.5
        assertEquals(Arm.ARM_CHALLENGER, r.getArm());
        assertEquals("tiny-b", r.getModelVersion());
        assertEquals(1.0 / (1.0 + Math.exp(-1.5)), r.getScore(), 1e-6);
        DecisionMade e = awaitEvent(req.getTransactionId()).event();
        assertEquals(3, e.getArmScoresCount());
        assertEquals(ArmRole.ARM_ROLE_CHALLENGER, e.getArmScores(0).getRole());
        assertTrue(e.getArmScores(0).getDecided());
        assertEquals(ArmRole.ARM_ROLE_CHAMPION, e.getArmScores(1).getRole());
        assertEquals(1.0 / (1.0 + Math.exp(-0.5)), e.getArmScores(1).getScore(), 1e-6);
        assertFalse(e.getArmScores(1).getDecided());
        assertEquals(ArmRole.ARM_ROLE_SHADOW, e.getArmScores(2).getRole());
        assertEquals("tiny-s", e.getArmScores(2).getModelVersion());
        assertEquals(1.0 / (1.0 + Math.exp(-2.5)), e.getArmScores(2).getScore(), 1e-6);
        assertFalse(e.getArmScores(2).getDecided());

        // Share 0: everyone back on the champion (a guardrail rollback), shadows keep scoring.
        api().contentType("application/json").body("{\"role\": \"CHALLENGER\", \"share\": 0.0, \"reason\": \"rollback\"}")
                .post("/models/tiny-b/activate").then().statusCode(200);
        ScoreResponse back = scoring().score(request("acct-models", 200_00).build());
        assertEquals(Arm.ARM_CHAMPION, back.getArm());
        assertEquals("tiny-2tree", back.getModelVersion());
        api().contentType("application/json").body("{\"role\": \"RETIRED\", \"reason\": \"done\"}")
                .post("/models/tiny-2tree/activate").then().statusCode(409).body("field", equalTo("role"));
        api().contentType("application/json").body("{\"role\": \"RETIRED\", \"reason\": \"done\"}")
                .post("/models/tiny-s/activate").then().statusCode(200);
        api().contentType("application/json").body("{\"role\": \"RETIRED\", \"reason\": \"done\"}")
                .post("/models/tiny-b/activate").then().statusCode(200);
    }

    /**
     * PUT /lineup: challenger share and policy move together, the exact previous line-up comes back (the rolled-out
     * model a shadow again, the built-in policy), the same line-up twice changes nothing the second time, and a stale
     * revision, an unknown model or a viewer are refused.
     */
    @Test
    void shouldChangeTheWholeLineupAtomicallyAndIdempotently() throws Exception {
        account("acct-lineup", FakeFeatureStore.ok("prior_chargebacks", 0L));
        api().contentType("application/octet-stream").body(tinyModel(2.0)).post("/models/tiny-b/upload")
                .then().statusCode(201);
        api().contentType("application/json").body("{\"role\": \"SHADOW\", \"reason\": \"watch b\"}")
                .post("/models/tiny-b/activate").then().statusCode(200);
        api().contentType("application/json").body("{\"version\": \"p-2\", \"reason\": \"tighter\", \"rules\": "
                + "[{\"name\": \"default\", \"step_up\": 0.2, \"review\": 0.5, \"decline\": 0.8}]}")
                .post("/policies").then().statusCode(201);
        String before = api().get("/lineup").then().statusCode(200)
                .body("champion_model_version", equalTo("tiny-2tree"))
                .body("challenger_model_version", equalTo(null))
                .body("shadow_model_versions", contains("tiny-b"))
                .body("policy_version", equalTo("built-in"))
                .extract().path("revision");

        String step = "{\"champion_model_version\": \"tiny-2tree\", \"challenger_model_version\": \"tiny-b\", "
                + "\"challenger_share\": 1.0, \"policy_version\": \"p-2\", \"reason\": \"rollout step 0\", "
                + "\"expected_revision\": \"" + before + "\"}";
        String after = api("operator", "guardrail-service").contentType("application/json").body(step).put("/lineup")
                .then().statusCode(200)
                .body("challenger_model_version", equalTo("tiny-b"))
                .body("challenger_share", equalTo(1.0f))
                .body("shadow_model_versions", empty())
                .body("policy_version", equalTo("p-2"))
                .extract().path("revision");
        assertFalse(before.equals(after));
        assertEquals("tiny-b", models.current().challenger().version());
        assertEquals("p-2", policies.current().version());
        // Served at once by this replica: share 1 sends the account to tiny-b.
        assertEquals("tiny-b", scoring().score(request("acct-lineup", 200_00).build()).getModelVersion());
        // The same compare-and-set again: the revision moved on, so it is refused and changes nothing.
        api().contentType("application/json").body(step).put("/lineup").then().statusCode(409)
                .body("field", equalTo("expected_revision"));

        String restore = "{\"champion_model_version\": \"tiny-2tree\", \"challenger_model_version\": null, "
                + "\"challenger_share\": 0, \"shadow_model_versions\": [\"tiny-b\"], \"policy_version\": \"built-in\", "
                + "\"reason\": \"rollback\"}";
        api("operator", "guardrail-service").contentType("application/json").body(restore).put("/lineup").then()
                .statusCode(200).body("revision", equalTo(before)).body("shadow_model_versions", contains("tiny-b"));
        int audited = api().get("/models/audit").then().statusCode(200).extract().path("size()");
        api("operator", "guardrail-service").contentType("application/json").body(restore).put("/lineup").then()
                .statusCode(200).body("revision", equalTo(before));
        api().get("/models/audit").then().statusCode(200).body("size()", equalTo(audited))
                .body("[" + (audited - 1) + "].actor", equalTo("guardrail-service"))
                .body("[" + (audited - 1) + "].action", equalTo("LINEUP"));
        assertEquals("built-in", policies.current().version());
        assertEquals(null, models.current().challenger());
        assertEquals("tiny-2tree", scoring().score(request("acct-lineup", 200_00).build()).getModelVersion());

        api().contentType("application/json").body(restore.replace("\"tiny-2tree\"", "\"nope\"")).put("/lineup")
                .then().statusCode(400).body("field", equalTo("champion_model_version"));
        api().contentType("application/json").body(restore.replace("built-in", "p-404")).put("/lineup")
                .then().statusCode(400).body("field", equalTo("policy_version"));
        api().contentType("application/json").body(restore.replace("\"rollback\"", "\"\"")).put("/lineup")
                .then().statusCode(400).body("field", equalTo("reason"));
        api("viewer", "vic").contentType("application/json").body(restore).put("/lineup").then().statusCode(403);
        given().contentType("application/json").body(restore).put("/lineup").then().statusCode(401);
    }

    @Test
    void shouldSwapChampionsWithoutDroppingCalls() throws Exception {
        account("acct-swap", FakeFeatureStore.ok("prior_chargebacks", 0L));
        api().contentType("application/octet-stream").body(tinyModel(2.0)).post("/models/tiny-b/upload")
                .then().statusCode(201);
        double tiny = 1.0 / (1.0 + Math.exp(-0.5));
        double tinyB = 1.0 / (1.0 + Math.exp(-1.5));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var answers = new java.util.concurrent.ConcurrentLinkedQueue<ScoreResponse>();
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
        try {
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            answers.add(scoring().score(request("acct-swap", 200_00).build()));
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                });
            }
            for (int i = 0; i < 10; i++) {
                String next = i % 2 == 0 ? "tiny-b" : "tiny-2tree";
                api("operator", "lead@example").contentType("application/json").body("{\"role\": \"CHAMPION\", \"reason\": \"swap\"}")
                        .post("/models/" + next + "/activate").then().statusCode(200);
            }
        } finally {
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), new ArrayList<>(failures));
        long decidedByAModel = answers.stream().filter(r -> !r.getFallback()).count();
        // With a 1 s budget a fallback is the exception; answers that are all fallbacks would prove nothing about swaps.
        assertTrue(decidedByAModel >= 10 && decidedByAModel * 2 >= answers.size(),
                decidedByAModel + " of " + answers.size() + " answers came from a model");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ScoreResponse r : answers) {
            if (r.getFallback()) {
                // A starved CPU can spend a budget (that is the fallback's job); a swap must never break the model.
                assertTrue(r.getFallbackCause() == FallbackCause.FALLBACK_CAUSE_DEADLINE
                        || r.getFallbackCause() == FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT, r.toString());
                continue;
            }
            seen.add(r.getModelVersion());
            assertEquals(r.getModelVersion().equals("tiny-b") ? tinyB : tiny, r.getScore(), 1e-6, r.getModelVersion());
        }
        assertTrue(java.util.Set.of("tiny-b", "tiny-2tree").containsAll(seen), seen.toString());
        assertEquals("tiny-2tree", scoring().score(request("acct-swap", 200_00).build()).getModelVersion());
    }

    @Test
    void shouldFollowAPolicyActivatedByAnotherInstance() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Properties props = new Properties();
        props.setProperty("user", ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.executeUpdate("UPDATE threshold_policy SET status = 'RETIRED' WHERE status = 'ACTIVE'");
                s.executeUpdate("INSERT INTO threshold_policy (version, rules, status, created_by, reason, activated_at) "
                        + "VALUES ('p-elsewhere', '[{\"name\": \"everyone\", \"stepUp\": 0.0, \"review\": 1.0, "
                        + "\"decline\": 1.0}]', 'ACTIVE', 'other-instance', 'test', now())");
            }
            c.commit();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ScoreResponse r = null;
        while (System.nanoTime() < deadline) {
            r = scoring().score(request("acct-any", 10_00).build());
            if ("p-elsewhere".equals(r.getPolicyVersion())) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("p-elsewhere", r.getPolicyVersion());
        assertEquals("everyone", r.getCohort());
    }


    @Test
    void shouldDecideAFirstTimeCustomerByTheInsufficientDataRule() throws Exception {
        String policy = """
                {"version": "p-coverage", "reason": "first-time customers are stepped up, not declined on no data",
                 "rules": [{"name": "default", "step_up": 0.3, "review": 0.5, "decline": 0.6,
                   "coverage": {"features": ["account_age_days", "prior_orders", "prior_chargebacks"],
                                "max_missing_share": 0.5, "decision": "STEP_UP"}}]}""";
        api().contentType("application/json").body(policy.replace("\"max_missing_share\": 0.5", "\"max_missing_share\": 1.5")).post("/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("rules[0].coverage.max_missing_share"));
        api().contentType("application/json").body(policy.replace("\"prior_orders\"", "\"prior_order_count\"")).post("/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("rules[0].coverage.features[1]"));
        api().contentType("application/json").body(policy.replace("\"decision\": \"STEP_UP\"", "\"decision\": \"DECLINE\"")).post("/policies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("rules[0].coverage.decision"));
        api().contentType("application/json").body(policy).post("/policies").then().statusCode(201)
                .body("rules[0].coverage.max_missing_share", equalTo(0.5f));
        api().contentType("application/json").body("{\"reason\": \"coverage rule\"}").post("/policies/p-coverage/activate").then().statusCode(200);
        api().get("/policies/active").then().statusCode(200).body("version", equalTo("p-coverage"))
                .body("rules[0].coverage.features", contains("account_age_days", "prior_orders", "prior_chargebacks"));
        double before = metrics.fallbacks(FallbackCause.FALLBACK_CAUSE_INSUFFICIENT_DATA);

        // Nothing stored for this account: the 3 named features are all missing (1.0 > 0.5). The model alone would
        // have declined: amount 200 >= 100: +1.0, chargebacks missing go left: -0.5, p = 0.6225 >= 0.6.
        ScoreRequest firstTime = request("acct-first-time", 200_00).build();
        ScoreResponse r = scoring().score(firstTime);
        assertEquals(Decision.DECISION_STEP_UP, r.getDecision());
        assertTrue(r.getFallback());
        assertEquals(FallbackCause.FALLBACK_CAUSE_INSUFFICIENT_DATA, r.getFallbackCause());
        assertEquals(0.0, r.getScore());
        assertEquals(Arm.ARM_UNSPECIFIED, r.getArm());
        assertEquals(0, r.getReasonsCount(), "no reasons: the model did not decide");
        assertEquals(1.0, r.getKeyFeatureMissingShare());
        assertEquals(before + 1, metrics.fallbacks(FallbackCause.FALLBACK_CAUSE_INSUFFICIENT_DATA));

        DecisionMade e = awaitEvent(firstTime.getTransactionId()).event();
        assertEquals(FallbackCause.FALLBACK_CAUSE_INSUFFICIENT_DATA, e.getFallbackCause());
        assertEquals(1.0, e.getKeyFeatureMissingShare());
        assertEquals(0.5, e.getMaxKeyFeatureMissingShare());
        assertEquals(List.of("account_age_days", "prior_orders", "prior_chargebacks"), e.getKeyFeaturesMissingList());
        assertEquals(1, e.getArmScoresCount());
        assertFalse(e.getArmScores(0).getDecided(), "the champion scored it, but did not decide");
        assertEquals(1.0 / (1.0 + Math.exp(-0.5)), e.getArmScores(0).getScore(), 1e-6);

        // A known account: 0 of 3 missing, the model decides (0.6225 >= 0.6: DECLINE).
        account("acct-known", FakeFeatureStore.ok("prior_chargebacks", 0L));
        ScoreResponse known = scoring().score(request("acct-known", 200_00).build());
        assertFalse(known.getFallback());
        assertEquals(Decision.DECISION_DECLINE, known.getDecision());
        assertTrue(known.hasKeyFeatureMissingShare());
        assertEquals(0.0, known.getKeyFeatureMissingShare());

        api().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "vigil_scoring_fallbacks_total{cause=\"FALLBACK_CAUSE_INSUFFICIENT_DATA\"} "))
                .body(org.hamcrest.Matchers.containsString("cohort=\"default\",decision=\"DECISION_STEP_UP\","
                        + "fallback_cause=\"FALLBACK_CAUSE_INSUFFICIENT_DATA\"}"));
    }

    @Test
    void shouldFallBackWhenFeatureServiceIsNotListening() throws Exception {
        features.stop();
        try {
            ScoreResponse r = scoring().score(request("acct-any", 200_00).build());
            assertTrue(r.getFallback());
            assertEquals(FallbackCause.FALLBACK_CAUSE_FEATURE_UNAVAILABLE, r.getFallbackCause());
        } finally {
            features.start();
            // Leave the service as found: its channel to the store retries with a back-off after the refusals, and
            // a test running next must not meet that back-off.
            account("acct-reconnect", FakeFeatureStore.ok("prior_chargebacks", 0L));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (scoring().score(request("acct-reconnect", 200_00).build()).getFallback()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }

    @Test
    void shouldKeepAnsweringWhenKafkaIsDown() throws InterruptedException {
        double droppedBefore = metrics.eventsDropped();
        // Frozen, not stopped, so that the tests after this one find it again.
        broker.pause();
        try {
            for (int i = 0; i < 20; i++) {
                account("acct-nokafka-" + i, FakeFeatureStore.ok("prior_chargebacks", 0L));
                ScoreResponse r = scoring().score(request("acct-nokafka-" + i, 200_00).build());
                // The model's own answer, not a fallback: amount +1.0, no chargebacks -0.5, p = 0.6225, review band.
                assertFalse(r.getFallback(), r.toString());
                assertEquals(Decision.DECISION_REVIEW, r.getDecision());
                UUID.fromString(r.getDecisionId());
            }
            // The events Kafka never took are counted as dropped once the producer gives up on them (delivery timeout).
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (metrics.eventsDropped() < droppedBefore + 20 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(metrics.eventsDropped() >= droppedBefore + 20, "dropped " + metrics.eventsDropped());
        } finally {
            broker.resume();
        }
    }

    // ---- Issue 15: one decision per transaction id, a safe line-up, bounded uploads, no silent failure ----

    @Test
    void shouldGiveConcurrentCallsWithOneTransactionIdOneDecisionClaimedInPostgres() throws Exception {
        account("acct-race", FakeFeatureStore.ok("prior_chargebacks", 0L));
        ScoreRequest req = request("acct-race", 200_00).build();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<ScoreResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return scoring().score(req);
                }));
            }
            start.countDown();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var call : calls) {
                ids.add(call.get(30, TimeUnit.SECONDS).getDecisionId());
            }
            assertEquals(1, ids.size(), ids.toString());
            try (Connection c = database();
                    PreparedStatement s = c.prepareStatement("SELECT decision_id FROM decision WHERE transaction_id = ?")) {
                s.setString(1, req.getTransactionId());
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next(), "claimed before the answer, so the row is there already");
                    assertEquals(ids.iterator().next(), rs.getString(1));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        DecisionMade event = awaitEvent(req.getTransactionId()).event();
        assertEquals(io.vigil.contracts.events.v1.IdempotencyCheck.IDEMPOTENCY_CHECK_CLAIMED, event.getIdempotencyCheck());
    }

    @Test
    void shouldAnswerACorruptStoredDecisionAsUnverifiedLoggedAndCounted() throws Exception {
        account("acct-corrupt", FakeFeatureStore.ok("prior_chargebacks", 0L));
        ScoreRequest req = request("acct-corrupt", 200_00).build();
        sql("INSERT INTO decision (transaction_id, decision_id, fingerprint, decision, score, model_version, "
                + "policy_version, cohort, fallback_cause, response) VALUES ('" + req.getTransactionId() + "', '"
                + UUID.randomUUID() + "', 1, 'DECISION_APPROVE', 0, 'x', 'x', 'x', 'x', '\\xffffffff')");
        double unverified = metrics.idempotencyUnverified("error");
        try (LogCapture log = LogCapture.of("io.vigil.scoring.decisions.DecisionStore")) {
            ScoreResponse r = scoring().score(req);
            // Not "no earlier decision" in silence: decided afresh, flagged unverified, counted, logged.
            assertFalse(r.getFallback(), r.toString());
            assertEquals(Decision.DECISION_REVIEW, r.getDecision());
            assertEquals(unverified + 1, metrics.idempotencyUnverified("error"));
            assertEquals(1, log.count(java.util.logging.Level.SEVERE, "stored decision for transaction "
                    + req.getTransactionId() + " does not parse"), log.toString());
        }
        DecisionMade event = awaitEvent(req.getTransactionId()).event();
        assertEquals(io.vigil.contracts.events.v1.IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_ERROR,
                event.getIdempotencyCheck());
        api().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("vigil_scoring_corrupt_records_total{kind=\"decision\"} 1.0"))
                .body(org.hamcrest.Matchers.containsString("vigil_idempotency_unverified_total{cause=\"error\"}"));
    }

    /** A model that loads but whose evaluation throws, as a corrupt or buggy model would. */
    static io.vigil.scoring.model.ScoringModel failingModel(String version) throws Exception {
        var ensemble = new io.vigil.riskmodel.model.XGBoostJsonLoader()
                .load(java.nio.file.Path.of("src/test/resources/models/tiny/model.json"));
        return new io.vigil.scoring.model.ScoringModel(version, ensemble) {
            @Override
            public double score(float[] canonicalValues) {
                throw new IllegalStateException("evaluation failed");
            }
        };
    }

    @Test
    void shouldAnswerAFailingModelWithTheFallbackLoggingAndCountingIt() throws Exception {
        account("acct-broken-model", FakeFeatureStore.ok("prior_chargebacks", 2L));
        var broken = failingModel("tiny-broken");
        double before = metrics.fallbacks(FallbackCause.FALLBACK_CAUSE_MODEL_ERROR);
        try (LogCapture log = LogCapture.of("io.vigil.scoring.Scorer")) {
            ScoreResponse r = scorer.score(request("acct-broken-model", 900_00).build(), Long.MAX_VALUE,
                    io.vigil.scoring.model.ModelLineup.championOnly(broken)).await().atMost(Duration.ofSeconds(10));

            assertTrue(r.getFallback());
            assertEquals(FallbackCause.FALLBACK_CAUSE_MODEL_ERROR, r.getFallbackCause());
            assertEquals(Decision.DECISION_STEP_UP, r.getDecision(), "900 USD: the rule steps up, the model is not asked");
            assertEquals(before + 1, metrics.fallbacks(FallbackCause.FALLBACK_CAUSE_MODEL_ERROR));
            assertEquals(1, log.count(java.util.logging.Level.SEVERE, "model tiny-broken failed to score a payment "
                    + "(1 failures so far), answered with the fallback: java.lang.IllegalStateException: evaluation "
                    + "failed"), log.toString());
            assertFalse(log.toString().contains("acct-broken-model"), "no account ids in the log: " + log);
        }
        api().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "vigil_scoring_model_errors_total{model_version=\"tiny-broken\"} 1.0"));
    }

    @Test
    void shouldRecordTheRoutedArmWhenTheFallbackDecides() throws Exception {
        account("acct-routed-fallback", FakeFeatureStore.ok("prior_chargebacks", 2L));
        // Every account to the challenger (share 1), and the challenger fails: the fallback rule answers.
        var lineup = new io.vigil.scoring.model.ModelLineup(models.current().champion(),
                failingModel("tiny-broken-challenger"), 1.0, List.of());
        ScoreRequest req = request("acct-routed-fallback", 900_00).build();
        ScoreResponse r = scorer.score(req, Long.MAX_VALUE, lineup).await().atMost(Duration.ofSeconds(10));

        assertTrue(r.getFallback(), r.toString());
        assertEquals(Arm.ARM_UNSPECIFIED, r.getArm(), "no model decided");
        DecisionMade e = awaitEvent(req.getTransactionId()).event();
        assertEquals(Arm.ARM_UNSPECIFIED, e.getArm());
        assertEquals(FallbackCause.FALLBACK_CAUSE_MODEL_ERROR, e.getFallbackCause());
        // ... but the payment was the challenger's traffic, and the event says so.
        assertEquals(Arm.ARM_CHALLENGER, e.getRoutedArm());
        assertEquals("tiny-broken-challenger", e.getRoutedModelVersion());

        // Champion only: a fallback there is the champion's.
        account("acct-routed-champion", FakeFeatureStore.ok("prior_chargebacks", 2L));
        ScoreRequest champ = request("acct-routed-champion", 900_00).build();
        scorer.score(champ, Long.MAX_VALUE, io.vigil.scoring.model.ModelLineup.championOnly(
                failingModel("tiny-broken-champion"))).await().atMost(Duration.ofSeconds(10));
        DecisionMade c = awaitEvent(champ.getTransactionId()).event();
        assertEquals(Arm.ARM_CHAMPION, c.getRoutedArm());
        assertEquals("tiny-broken-champion", c.getRoutedModelVersion());
    }

    @Test
    void shouldKeepTheDecisionWhenOnlyAShadowFails() throws Exception {
        account("acct-broken-shadow", FakeFeatureStore.ok("prior_chargebacks", 2L));
        var lineup = new io.vigil.scoring.model.ModelLineup(models.current().champion(), null, 0.0,
                List.of(failingModel("tiny-broken-shadow")));
        ScoreRequest req = request("acct-broken-shadow", 200_00).build();
        ScoreResponse r = scorer.score(req, Long.MAX_VALUE, lineup).await().atMost(Duration.ofSeconds(10));

        assertFalse(r.getFallback(), r.toString());
        assertEquals(Decision.DECISION_DECLINE, r.getDecision(), "the champion's p = 0.924");
        DecisionMade e = awaitEvent(req.getTransactionId()).event();
        assertEquals(1, e.getArmScoresCount(), "the failed shadow is left out of the event");
        api().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "vigil_scoring_model_errors_total{model_version=\"tiny-broken-shadow\"} 1.0"));
    }

    @Test
    void shouldRefuseALineupWithoutAChampionAndAuditEveryChange() throws Exception {
        account("acct-lineup", FakeFeatureStore.ok("prior_chargebacks", 0L));
        for (String role : List.of("SHADOW", "CHALLENGER", "RETIRED")) {
            api("operator", "lead@example").contentType("application/json")
                    .body("{\"role\": \"" + role + "\", \"share\": 0.5, \"reason\": \"try\"}")
                    .post("/models/tiny-2tree/activate").then().statusCode(409).contentType("application/problem+json")
                    .body("field", equalTo("role"))
                    .body("detail", equalTo("role: activating tiny-2tree as " + role + " would leave no champion; "
                            + "make another version champion first"));
        }
        api("operator", "lead@example").contentType("application/json").body("{\"role\": \"CHAMPION\"}")
                .post("/models/tiny-2tree/activate").then().statusCode(400).body("field", equalTo("reason"));
        api().contentType("application/octet-stream").body(tinyModel(2.0)).post("/models/tiny-b/upload")
                .then().statusCode(201).body("status", equalTo("REGISTERED")).body("trees", equalTo(2));
        assertEquals(java.util.Set.of("tiny-2tree"), models.loadedVersions(), "registered is checked, not held");

        api("operator", "lead@example").contentType("application/json")
                .body("{\"role\": \"CHAMPION\", \"reason\": \"b wins the backtest\"}")
                .post("/models/tiny-b/activate").then().statusCode(200).body("status", equalTo("CHAMPION"));
        api().get("/models/tiny-2tree").then().statusCode(200).body("status", equalTo("RETIRED"));
        assertEquals("tiny-b", scoring().score(request("acct-lineup", 200_00).build()).getModelVersion());
        assertEquals(java.util.Set.of("tiny-b"), models.loadedVersions(), "the retired champion is evicted");

        // Only the applied change is audited: the refused ones left nothing behind.
        api().get("/models/audit").then().statusCode(200)
                .body("actor", contains("lead@example"))
                .body("model_version", contains("tiny-b"))
                .body("role", contains("CHAMPION"))
                .body("reason", contains("b wins the backtest"))
                .body("before[0].champion", equalTo("tiny-2tree"))
                .body("after[0].champion", equalTo("tiny-b"));
    }

    @Test
    void shouldStopServingAModelTheRegistryRetiredThroughAnotherInstance() throws Exception {
        api().contentType("application/octet-stream").body(tinyModel(3.0)).post("/models/tiny-s/upload")
                .then().statusCode(201);
        api("operator", "lead@example").contentType("application/json")
                .body("{\"role\": \"SHADOW\", \"reason\": \"watch s\"}").post("/models/tiny-s/activate")
                .then().statusCode(200);
        assertEquals("tiny-s", models.current().shadows().get(0).version());

        sql("UPDATE model_version SET status = 'RETIRED' WHERE version = 'tiny-s'");
        // Within the documented refresh interval (500 ms in tests), with no call to this instance.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!models.current().shadows().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), models.current().shadows());
        assertEquals(java.util.Set.of("tiny-2tree"), models.loadedVersions());
    }

    @Test
    void shouldRefuseAnOversizedUploadWith413() {
        byte[] big = new byte[65_537];
        java.util.Arrays.fill(big, (byte) ' ');
        api().contentType("application/octet-stream").body(big).post("/models/too-big/upload")
                .then().statusCode(413).contentType("application/problem+json").body("field", equalTo("body"))
                .body("detail", equalTo("body: the model is 65537 bytes, over the limit of 65536 bytes "
                        + "(scoring.models.max-upload-bytes)"));
        api().get("/models/too-big").then().statusCode(404);
    }

    @Test
    void shouldRefuseControlCharactersAndTraversalInPathsBeforeTheDatabase() {
        for (String path : List.of("/models/a%00b", "/policies/%00", "/models/a%5C..%5Cb", "/policies/p%0Ax")) {
            var answer = api().urlEncodingEnabled(false).get(path);
            assertEquals(400, answer.statusCode(), path);
            assertEquals("path", answer.jsonPath().getString("field"), path);
            assertEquals("application/problem+json", answer.contentType(), path);
        }
        // A dot-dot segment or an encoded slash never reaches a resource: the HTTP layer resolves the first away and
        // splits on the second, so no operation matches.
        assertEquals(404, api().urlEncodingEnabled(false).get("/models/%2e%2e").statusCode());
        assertEquals(404, api().urlEncodingEnabled(false).get("/models/a%2Fb").statusCode());
        // In a body too: a file path with a NUL byte is refused naming the field, not a 500 from java.nio.
        api().contentType("application/json").body("{\"version\": \"v-nul\", \"path\": \"tiny/\\u0000model.json\"}")
                .post("/models").then().statusCode(400).body("field", equalTo("path"));
        api().urlEncodingEnabled(false).get("/policies?x=%00").then().statusCode(400).body("field", equalTo("x"));
        api().urlEncodingEnabled(false).get("/models/no%20such").then().statusCode(404);
    }

    /** Collects what a logger writes during a test (Quarkus logs through JBoss LogManager, a java.util.logging). */
    static final class LogCapture extends java.util.logging.Handler implements AutoCloseable {
        private final java.util.logging.Logger logger;
        private final List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();

        private LogCapture(java.util.logging.Logger logger) {
            this.logger = logger;
        }

        static LogCapture of(String name) {
            LogCapture c = new LogCapture(java.util.logging.Logger.getLogger(name));
            c.logger.addHandler(c);
            return c;
        }

        long count(java.util.logging.Level level, String text) {
            return records.stream().filter(r -> r.getLevel().intValue() == level.intValue())
                    .filter(r -> message(r).contains(text)).count();
        }

        private static String message(java.util.logging.LogRecord r) {
            Object[] p = r.getParameters();
            return p == null || p.length == 0 ? r.getMessage() : String.format(r.getMessage(), p);
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }

        @Override
        public String toString() {
            return records.stream().map(r -> r.getLevel() + " " + message(r)).toList().toString();
        }
    }

    record Received(CloudEventHeaders headers, DecisionMade event) {
    }

    static Received awaitEvent(String transactionId) throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "scoring-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTopics.DECISIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (transactionId.equals(record.key())) {
                        return new Received(CloudEventHeaders.readFrom(record.headers()), DecisionMade.parseFrom(record.value()));
                    }
                }
            }
        }
        return fail("no decision event for " + transactionId + " on " + EventTopics.DECISIONS + " within 30 s");
    }

    static void awaitDecisionRow(String transactionId) throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Properties props = new Properties();
        props.setProperty("user", ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Connection c = DriverManager.getConnection(url, props);
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM decision WHERE transaction_id = ?")) {
            s.setString(1, transactionId);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        fail("decision " + transactionId + " not written to PostgreSQL within 10 s");
    }
}
