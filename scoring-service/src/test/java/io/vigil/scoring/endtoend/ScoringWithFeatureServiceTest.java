package io.vigil.scoring.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.protobuf.Timestamp;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.AvsResult;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.CvvResult;
import io.vigil.contracts.scoring.v1.FallbackCause;
import io.vigil.contracts.scoring.v1.FeatureIssue;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.Reason;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.security.TestTokens;

/**
 * The real scoring-service and the real feature-service together: features go into feature-service over its REST batch
 * API exactly as producers send them, the checkout calls Score over gRPC, scoring fetches them over gRPC and decides
 * with the committed default model. Each expected score is computed independently here: the feature vector written
 * out by hand from the request and the stored values, scored by the evaluator directly.
 */
@QuarkusTest
@TestProfile(ScoringWithFeatureServiceTest.EndToEnd.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringWithFeatureServiceTest {

    /**
     * Only this class's infrastructure: the module's other tests declare theirs globally (a fake feature store among
     * them), and two resources setting scoring.features.port would race.
     */
    public static class EndToEnd implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(WithFeatureServiceInfrastructure.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        /** The production default of the coverage rule (the test profile raises it for the 2-feature test model). */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scoring.coverage.max-missing-share", "0.4");
        }
    }

    /** Injected by the resource: the feature-service process. */
    QuarkusServiceProcess featureService;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant createdAt = Instant.parse("2026-11-25T14:30:00Z");
    private TreeEnsemble model;
    private ManagedChannel channel;
    private RiskScoringServiceGrpc.RiskScoringServiceBlockingStub scoring;

    @BeforeAll
    void connect() throws Exception {
        model = new XGBoostJsonLoader().load(Path.of("../models/default/model.json"));
        int port = io.vigil.testing.foundation.ServiceFoundationTests.grpcTestPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        scoring = RiskScoringServiceGrpc.newBlockingStub(channel);

        Instant now = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        for (String account : List.of("acct-e2e-healthy", "acct-e2e-social")) {
            boolean social = account.endsWith("social");
            ingest("account-profile", "account", account, now, Map.of(
                    "account_age_days", social ? 0 : 400, "login_method", social ? "social" : "password",
                    "customer_age_band", "25-34", "country", "US", "region", "NA", "email_age_days", 900,
                    "email_domain_free", false, "password_reset_7d", false));
            ingest("txn-aggregator", "account", account, now, Map.of(
                    "txn_count_1h", 1, "txn_count_24h", 2, "amount_sum_24h", 45.5, "prior_chargebacks", 0,
                    "distinct_cards_24h", 1, "prior_orders", 12, "avg_order_amount", 80.0));
        }
        // Everything a fraud ring's account looks like: new, a throwaway e-mail, cards and orders piling up.
        ingest("account-profile", "account", "acct-e2e-risky", now, Map.of(
                "account_age_days", 1, "login_method", "password", "customer_age_band", "18-24", "country", "US",
                "region", "NA", "email_age_days", 1, "email_domain_free", true, "password_reset_7d", true));
        ingest("txn-aggregator", "account", "acct-e2e-risky", now, Map.of(
                "txn_count_1h", 9, "txn_count_24h", 14, "amount_sum_24h", 2400.0, "prior_chargebacks", 3,
                "distinct_cards_24h", 6, "prior_orders", 0, "avg_order_amount", 0.0));
        ingest("merchant-risk", "merchant", "m-e2e", now,
                Map.of("merchant_category", "electronics", "merchant_fraud_rate_90d", 0.004));
        ingest("device-intel", "device", "d-e2e", now, Map.of("device_age_days", 200));
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldDecideWithStoredFeaturesExactlyAsTheModelScoresThem() {
        ScoreResponse response = score("acct-e2e-healthy");

        assertFalse(response.getFallback(), response.toString());
        assertEquals(FallbackCause.FALLBACK_CAUSE_NONE, response.getFallbackCause());
        assertEquals(Arm.ARM_CHAMPION, response.getArm());
        assertEquals(List.of(), response.getFeatureIssuesList(), "every stored feature was served OK");
        assertEquals(model.score(vector(Map.of())), response.getScore(), 1e-12);
        assertReasonsPushTowardFraud(response);
    }

    @Test
    void shouldTreatASentinelAccountAgeAsMissingAndSaySo() {
        ScoreResponse response = score("acct-e2e-social");

        assertFalse(response.getFallback(), response.toString());
        assertEquals(List.of(FeatureIssue.newBuilder().setFeature("account_age_days").setStatus("DEFAULTED").build()),
                response.getFeatureIssuesList());
        // Account age 0 would read as "brand-new account", the launch incident's false declines; it must enter as NaN.
        float[] expected = vector(Map.of(PaymentFeature.ACCOUNT_AGE_DAYS, Float.NaN, PaymentFeature.LOGIN_METHOD, 1f));
        assertEquals(model.score(expected), response.getScore(), 1e-12);
        float[] asIfZero = vector(Map.of(PaymentFeature.ACCOUNT_AGE_DAYS, 0f, PaymentFeature.LOGIN_METHOD, 1f));
        assertTrue(model.score(asIfZero) > response.getScore(),
                "the sentinel, had it been used, would have raised the score");
        assertReasonsPushTowardFraud(response);
    }

    @Test
    void shouldListEveryAccountFeatureOfAnUnknownAccountAsMissingAndDecideByTheInsufficientDataRule() {
        ScoreResponse response = score("acct-e2e-unknown");

        Map<String, String> issues = response.getFeatureIssuesList().stream()
                .collect(Collectors.toMap(FeatureIssue::getFeature, FeatureIssue::getStatus, (a, b) -> a, TreeMap::new));
        List<String> accountFeatures = List.of("account_age_days", "amount_sum_24h", "avg_order_amount", "country",
                "customer_age_band", "distinct_cards_24h", "email_age_days", "email_domain_free", "login_method",
                "password_reset_7d", "prior_chargebacks", "prior_orders", "region", "txn_count_1h", "txn_count_24h");
        assertEquals(accountFeatures, List.copyOf(issues.keySet()));
        assertTrue(issues.values().stream().allMatch("MISSING"::equals), issues.toString());
        Map<PaymentFeature, Float> unknown = new java.util.EnumMap<>(PaymentFeature.class);
        for (PaymentFeature f : PaymentFeature.values()) {
            if (accountFeatures.contains(f.featureName())) {
                unknown.put(f, Float.NaN);
            }
        }
        // Derived from account features, so unknown too.
        unknown.put(PaymentFeature.AMOUNT_TO_AVG_RATIO, Float.NaN);
        unknown.put(PaymentFeature.IP_COUNTRY_MISMATCH, Float.NaN);
        // The default model's 8 most depended-on features (total cover), worked out from the model independently of
        // the service: which of them the first-time account lacks decides whether the model may answer.
        double[] cover = io.vigil.riskmodel.model.FeatureImportance.totalCover(model);
        List<Integer> byCover = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, cover.length).boxed()
                .toList());
        byCover.sort((a, b) -> Double.compare(cover[b], cover[a]));
        long missing = byCover.subList(0, 8).stream()
                .filter(i -> unknown.containsKey(PaymentFeature.valueOf(
                        model.featureNames().get(i).toUpperCase(java.util.Locale.ROOT))))
                .count();
        assertTrue(missing / 8.0 > 0.4, missing + " of the 8 key features missing: the rule must apply");
        assertEquals(missing / 8.0, response.getKeyFeatureMissingShare(), 1e-12);
        // scoring.coverage defaults: more than 40 % of the 8 key features missing -> STEP_UP, flagged, no reasons.
        assertTrue(response.getFallback(), response.toString());
        assertEquals(FallbackCause.FALLBACK_CAUSE_INSUFFICIENT_DATA, response.getFallbackCause());
        assertEquals(io.vigil.contracts.scoring.v1.Decision.DECISION_STEP_UP, response.getDecision());
        assertEquals(List.of(), response.getReasonsList());
        assertTrue(model.score(vector(unknown)) > 0.0, "the model could score it, but did not decide");
    }

    @Test
    void shouldAnswerWithAFlaggedFallbackWhileFeatureServiceIsFrozen() throws Exception {
        // Frozen (SIGSTOP), not stopped, so that no other test of this class depends on running before this one.
        signal("STOP");
        try {
            ScoreResponse response = score("acct-e2e-healthy-during-outage");

            assertTrue(response.getFallback(), response.toString());
            assertEquals(FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT, response.getFallbackCause());
            assertEquals(Arm.ARM_UNSPECIFIED, response.getArm());
        } finally {
            signal("CONT");
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(featureService.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    private ScoreResponse score(String account) {
        ScoreRequest request = ScoreRequest.newBuilder()
                .setTransactionId("tx-" + UUID.randomUUID())
                .setAccountId(account)
                .setAmount(Money.newBuilder().setAmountMinor(12_000).setCurrency("USD"))
                .setMerchantId("m-e2e")
                .setMerchantCategoryCode("5732")
                .setChannel(Channel.CHANNEL_WEB)
                .setCardBinCountry("US")
                .setIpCountry("US")
                .setBillingCountry("US")
                .setBillingRegion("CA")
                .setDeviceId("d-e2e")
                .setCreatedAt(Timestamp.newBuilder().setSeconds(createdAt.getEpochSecond()))
                .setAvsResult(AvsResult.AVS_RESULT_MATCH)
                .setCvvResult(CvvResult.CVV_RESULT_MATCH)
                .setPrepaidCard(false)
                .setProxyIp(false)
                .setShippingBillingDistanceKm(3.5)
                .build();
        return scoring.withDeadlineAfter(5, TimeUnit.SECONDS).score(request);
    }

    /**
     * The request above and the healthy account's stored values as the model's 30 features, written out by hand in
     * catalog codes, with {@code overrides} applied; then put in the model's column order.
     */
    private float[] vector(Map<PaymentFeature, Float> overrides) {
        float[] x = new float[PaymentFeature.values().length];
        Arrays.fill(x, Float.NaN);
        put(x, PaymentFeature.AMOUNT, 120f);
        put(x, PaymentFeature.CURRENCY, 0f); // USD
        put(x, PaymentFeature.MERCHANT_CATEGORY, 1f); // electronics
        put(x, PaymentFeature.MERCHANT_FRAUD_RATE_90D, 0.004f);
        put(x, PaymentFeature.CHANNEL, 0f); // web
        put(x, PaymentFeature.ACCOUNT_AGE_DAYS, 400f);
        put(x, PaymentFeature.LOGIN_METHOD, 0f); // password
        put(x, PaymentFeature.CUSTOMER_AGE_BAND, 1f); // 25-34
        put(x, PaymentFeature.COUNTRY, 0f); // US
        put(x, PaymentFeature.REGION, 0f); // NA
        put(x, PaymentFeature.BILLING_IP_COUNTRY_MISMATCH, 0f);
        put(x, PaymentFeature.IP_COUNTRY_MISMATCH, 0f);
        put(x, PaymentFeature.CARD_BIN_COUNTRY_MISMATCH, 0f);
        put(x, PaymentFeature.NEW_DEVICE, 0f); // device seen 200 days ago
        put(x, PaymentFeature.AVS_RESULT, 0f);
        put(x, PaymentFeature.CVV_RESULT, 0f);
        put(x, PaymentFeature.TXN_COUNT_1H, 1f);
        put(x, PaymentFeature.TXN_COUNT_24H, 2f);
        put(x, PaymentFeature.AMOUNT_SUM_24H, 45.5f);
        put(x, PaymentFeature.HOUR_OF_DAY, 14f); // 14:30 UTC
        put(x, PaymentFeature.EMAIL_AGE_DAYS, 900f);
        put(x, PaymentFeature.EMAIL_DOMAIN_FREE, 0f);
        put(x, PaymentFeature.PRIOR_CHARGEBACKS, 0f);
        put(x, PaymentFeature.DISTINCT_CARDS_24H, 1f);
        put(x, PaymentFeature.SHIPPING_BILLING_DISTANCE_KM, 3.5f);
        put(x, PaymentFeature.PREPAID_CARD, 0f);
        put(x, PaymentFeature.PRIOR_ORDERS, 12f);
        put(x, PaymentFeature.AMOUNT_TO_AVG_RATIO, (float) (120.0 / 80.0));
        put(x, PaymentFeature.PROXY_IP, 0f);
        put(x, PaymentFeature.PASSWORD_RESET_7D, 0f);
        overrides.forEach((f, v) -> put(x, f, v));
        int[] columns = model.columnsFor(PaymentFeature.names());
        float[] ordered = new float[columns.length];
        for (int i = 0; i < columns.length; i++) {
            ordered[i] = x[columns[i]];
        }
        return ordered;
    }

    private static void put(float[] x, PaymentFeature f, float value) {
        x[f.ordinal()] = value;
    }

    @Test
    void shouldExplainADecisionThatStopsTheCustomerAndNotAnApproval() {
        ScoreResponse risky = score("acct-e2e-risky");
        assertFalse(risky.getFallback(), risky.toString());
        assertNotEquals(Decision.DECISION_APPROVE, risky.getDecision(), risky.toString());
        assertFalse(risky.getReasonsList().isEmpty(), "a customer stepped up, reviewed or declined is owed reasons");
        assertReasonsPushTowardFraud(risky);

        ScoreResponse healthy = score("acct-e2e-healthy");
        assertEquals(Decision.DECISION_APPROVE, healthy.getDecision(), healthy.toString());
        assertEquals(List.of(), healthy.getReasonsList(), "approvals are not explained (scoring.reasons.on-approve)");
    }

    /** Reasons, where owed (not for approvals, by default), name the features that pushed the score up, largest first. */
    private static void assertReasonsPushTowardFraud(ScoreResponse response) {
        if (response.getDecision() == Decision.DECISION_APPROVE) {
            assertEquals(List.of(), response.getReasonsList(), "an approval owes no reasons");
            return;
        }
        assertFalse(response.getReasonsList().isEmpty(), "a decision explains itself");
        assertTrue(response.getReasonsCount() <= 3);
        double previous = Double.POSITIVE_INFINITY;
        for (Reason reason : response.getReasonsList()) {
            assertTrue(reason.getContribution() > 0 && reason.getContribution() <= previous, response.toString());
            assertTrue(PaymentFeature.names().contains(reason.getFeature()), reason.getFeature());
            assertFalse(reason.getCode().isBlank());
            previous = reason.getContribution();
        }
    }

    private void ingest(String producer, String entityType, String id, Instant eventTime, Map<String, Object> fields)
            throws Exception {
        String values = fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
                .collect(Collectors.joining(", "));
        String body = "{\"producer\": \"" + producer + "\", \"updates\": [{\"event_id\": \"" + UUID.randomUUID()
                + "\", \"entity\": {\"type\": \"" + entityType + "\", \"id\": \"" + id + "\"}, \"event_time\": \""
                + eventTime + "\", \"fields\": {" + values + "}}]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(featureService.baseUrl()
                + "/features/batch")).header("content-type", "application/json")
                .header("Authorization", TestTokens.bearer("producer", producer))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.body().contains("REJECT"), response.body());
    }
}
