package io.vigil.guardrail.analysis.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.commons.math3.stat.interval.WilsonScoreInterval;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.protobuf.Timestamp;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.contracts.events.v1.ArmRole;
import io.vigil.contracts.events.v1.ArmScore;
import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.FeatureUsed;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.Reason;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * The decision ledger and /analyses end to end: decision and outcome events produced onto the real topics of a real
 * broker, written by the service's ledger consumer into a real PostgreSQL, then every analysis asked over REST and its
 * answer compared with figures worked out by hand from the events produced (comments give the arithmetic). Cohorts
 * use countries no other test writes (XT, XF) and a day of event time of their own.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_guardrail"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerAnalysesTest {

    static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant NOON = DAY.plus(Duration.ofHours(12));
    static final Instant END = DAY.plus(Duration.ofHours(24));
    static final String CA_YOUNG = "country=XT,age=18-24";
    static final String WINDOW = "&from=2026-11-20T12:00:00Z&to=2026-11-21T00:00:00Z";

    KafkaBroker broker;
    @Inject
    Pool pool;

    final List<DecisionMade> decisions = new ArrayList<>();
    final List<OutcomeRecorded> outcomes = new ArrayList<>();
    int seq;

    @BeforeAll
    void produce() throws Exception {
        seedImpact();
        seedFunnel();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (DecisionMade d : decisions) {
                producer.send(new ProducerRecord<>("vigil.decisions.v1", d.getTransactionId(), d.toByteArray()));
            }
            for (OutcomeRecorded o : outcomes) {
                producer.send(new ProducerRecord<>("vigil.outcomes.v1", o.getTransactionId(), o.toByteArray()));
            }
            // A redelivery of the first 100 decisions and outcomes: the ledger must not count them twice.
            for (DecisionMade d : decisions.subList(0, 100)) {
                producer.send(new ProducerRecord<>("vigil.decisions.v1", d.getTransactionId(), d.toByteArray()));
            }
            for (OutcomeRecorded o : outcomes.subList(0, 100)) {
                producer.send(new ProducerRecord<>("vigil.outcomes.v1", o.getTransactionId(), o.toByteArray()));
            }
            // And a record that is no event at all.
            producer.send(new ProducerRecord<>("vigil.decisions.v1", "junk", new byte[] {(byte) 0xff, 0x01}));
            producer.flush();
        }
        awaitCount("SELECT count(*) FROM ledger_decision WHERE country IN ('XT', 'XF')", decisions.size());
        awaitCount("SELECT count(*) FROM ledger_outcome WHERE transaction_id LIKE 'tx-ledger-%'", outcomes.size());
    }

    /**
     * CA-like cohort XT / 18-24. 00:00-12:00 (the baseline): 1,000 approvals, 20 frauds (2.0%). 12:00-24:00: 1,000
     * approvals, 31 frauds (3.1%) on merchants m1 (400 approvals, 22 frauds), m2 (300, 6), m3 (300, 3), and 200
     * declines scored 0.9 (never labelled). Scores in the afternoon: 21 frauds at 0.55, 10 at 0.3; 100 legitimate
     * approvals at 0.55, the other 869 at 0.1. Another age band (25-34): 500 approvals, 5 frauds, the afternoon.
     * Every fraud is a $100 payment.
     */
    void seedImpact() {
        for (int i = 0; i < 1000; i++) {
            boolean fraud = i < 20;
            decide("XT", "18-24", "web", "m1", at(DAY, i, 1000), Decision.DECISION_APPROVE, 0.1, fraud);
        }
        int fraudsSeen = 0;
        String[] merchants = new String[1000];
        int[] fraudPerMerchant = {22, 6, 3};
        int[] approvalsPerMerchant = {400, 300, 300};
        int k = 0;
        for (int m = 0; m < 3; m++) {
            for (int j = 0; j < approvalsPerMerchant[m]; j++) {
                merchants[k++] = "m" + (m + 1) + (j < fraudPerMerchant[m] ? "!" : "");
            }
        }
        int legitHigh = 0;
        for (int i = 0; i < 1000; i++) {
            boolean fraud = merchants[i].endsWith("!");
            String merchant = merchants[i].replace("!", "");
            double score;
            if (fraud) {
                score = fraudsSeen++ < 21 ? 0.55 : 0.3;
            } else {
                score = legitHigh++ < 100 ? 0.55 : 0.1;
            }
            decide("XT", "18-24", "web", merchant, at(NOON, i, 1000), Decision.DECISION_APPROVE, score, fraud);
        }
        for (int i = 0; i < 200; i++) {
            decide("XT", "18-24", "web", "m1", at(NOON, i, 200), Decision.DECISION_DECLINE, 0.9, false);
        }
        for (int i = 0; i < 500; i++) {
            decide("XT", "25-34", "web", "m1", at(NOON, i, 500), Decision.DECISION_APPROVE, 0.1, i < 5);
        }
    }

    /**
     * Funnel cohort XF, per channel, before and after 12:00, 1,000 sessions each. Voice: 700 approved, 300 stepped
     * up; step-up passed 291 before (97%), 258 after (86%); authorized 950 / 918 of those cleared; ordered 900 / 870.
     * Web: 900 approved, 100 stepped up, passed 95 / 94; authorized 955 / 954; ordered 905 / 904.
     */
    void seedFunnel() {
        funnel("voice", DAY, 700, 300, 291, 950, 900);
        funnel("voice", NOON, 700, 300, 258, 918, 870);
        funnel("web", DAY, 900, 100, 95, 955, 905);
        funnel("web", NOON, 900, 100, 94, 954, 904);
    }

    void funnel(String channel, Instant from, int approved, int steppedUp, int passed, int authorized, int ordered) {
        int cleared = 0;
        for (int i = 0; i < approved + steppedUp; i++) {
            boolean stepUp = i >= approved;
            DecisionMade d = decide("XF", "25-34", channel, "m9", at(from, i, approved + steppedUp),
                    stepUp ? Decision.DECISION_STEP_UP : Decision.DECISION_APPROVE, 0.2, false);
            Instant t = at(from, i, approved + steppedUp).plusSeconds(5);
            if (stepUp) {
                boolean pass = i - approved < passed;
                outcome(d, pass ? OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED : OutcomeKind.OUTCOME_KIND_STEP_UP_FAILED, t);
                if (!pass) {
                    continue;
                }
            }
            cleared++;
            if (cleared <= authorized) {
                outcome(d, OutcomeKind.OUTCOME_KIND_AUTHORIZED, t.plusSeconds(1));
                if (cleared <= ordered) {
                    outcome(d, OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, t.plusSeconds(2));
                }
            } else {
                outcome(d, OutcomeKind.OUTCOME_KIND_AUTH_DECLINED, t.plusSeconds(1));
            }
        }
    }

    static Instant at(Instant from, int i, int of) {
        return from.plusMillis(i * (Duration.ofHours(12).toMillis() / of));
    }

    DecisionMade decide(String country, String age, String channel, String merchant, Instant at, Decision decision,
            double score, boolean fraud) {
        int n = seq++;
        String tx = "tx-ledger-" + n;
        DecisionMade d = DecisionMade.newBuilder().setDecisionId("dec-ledger-" + n).setTransactionId(tx)
                .setAccountId("acct-secret-" + (100000 + n)).setDecidedAt(ts(at.plusMillis(40)))
                .setPaymentCreatedAt(ts(at)).setDecision(decision).setScore(score).setArm(Arm.ARM_CHAMPION)
                .setModelVersion("m-1").setPolicyVersion("p-1")
                .addFeatures(FeatureUsed.newBuilder().setName("amount_usd").setValue(100))
                .addFeatures(FeatureUsed.newBuilder().setName("account_age_days").setMissing(true))
                .addArmScores(ArmScore.newBuilder().setModelVersion("m-1").setRole(ArmRole.ARM_ROLE_CHAMPION)
                        .setScore(score).setDecided(true))
                .addArmScores(ArmScore.newBuilder().setModelVersion("m-shadow").setRole(ArmRole.ARM_ROLE_SHADOW)
                        .setScore(Math.min(0.99, score + 0.1)))
                .addReasons(Reason.newBuilder().setCode("HIGH_AMOUNT").setFeature("amount_usd").setContribution(0.4))
                .setFeatureContract("checkout-features/v1")
                .setAttributes(DecisionAttributes.newBuilder().setCountry(country).setCustomerAgeBand(age)
                        .setChannel(channel).setMerchantId(merchant).setDeviceId("dev-" + (n % 7))
                        .setCardBin("45320151").setCardIssuerCountry(country).setAmountUsd(100))
                .build();
        decisions.add(d);
        if (fraud) {
            outcome(d, OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED, at.plus(Duration.ofDays(3)));
        }
        return d;
    }

    void outcome(DecisionMade d, OutcomeKind kind, Instant at) {
        outcomes.add(OutcomeRecorded.newBuilder().setOutcomeId("out-ledger-" + outcomes.size())
                .setTransactionId(d.getTransactionId()).setAccountId(d.getAccountId()).setOccurredAt(ts(at))
                .setKind(kind).setProducer("test").build());
    }

    static Timestamp ts(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    void awaitCount(String sql, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long seen = count(sql);
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = count(sql);
        }
        assertEquals(expected, seen, sql);
    }

    /** Floating-point numbers as doubles (JsonPath reads them as floats by default). */
    static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);

    static RequestSpecification as(String role) {
        return given().header("Authorization", TestTokens.bearer(role, role + "-lead@example"));
    }

    static JsonPath ok(String path) {
        return as("operator").get(path).then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }

    @Test
    @Order(1)
    void everyEventIsWrittenOnceWhateverTheRedeliveries() {
        assertEquals(decisions.size(), count("SELECT count(*) FROM ledger_decision WHERE country IN ('XT', 'XF')"));
        assertEquals(outcomes.size(), count("SELECT count(*) FROM ledger_outcome WHERE transaction_id LIKE "
                + "'tx-ledger-%'"));
        // In event time (the payment's time), features in contract order, the shadow's score kept.
        var row = pool.preparedQuery("SELECT event_at, features::text AS f, arm_scores::text AS a, decision, "
                + "amount_band FROM ledger_decision WHERE decision_id = $1").execute(Tuple.of("dec-ledger-0"))
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals(DAY, row.getOffsetDateTime("event_at").toInstant());
        assertEquals("[{\"name\": \"amount_usd\", \"value\": 100.0, \"missing\": false}, {\"name\": "
                + "\"account_age_days\", \"value\": null, \"missing\": true}]", row.getString("f"));
        assertTrue(row.getString("a").contains("\"m-shadow\""), row.getString("a"));
        assertEquals("APPROVE", row.getString("decision"));
        assertEquals("100-500", row.getString("amount_band"));
    }

    @Test
    @Order(2)
    void impactGivesTheExcessWithItsIntervalAgainstThePrecedingWindow() {
        JsonPath j = ok("/analyses/impact?cohort=" + CA_YOUNG + "&metric=incorrect-approval" + WINDOW);
        // 31 of 1,000 approvals against 20 of 1,000 in the morning: expected 20, excess 11, each a $100 payment.
        assertEquals(1000, j.getLong("n"));
        assertEquals(31, j.getLong("events"));
        assertEquals(0.031, j.getDouble("rate"), 1e-12);
        WilsonScoreInterval wilson = new WilsonScoreInterval();
        var ci = wilson.createInterval(1000, 31, 0.95);
        assertEquals(ci.getLowerBound(), j.getDouble("rate_ci.lower"), 1e-9);
        assertEquals(ci.getUpperBound(), j.getDouble("rate_ci.upper"), 1e-9);
        assertEquals(0.02, j.getDouble("baseline.rate"), 1e-12);
        assertEquals(1000, j.getLong("baseline.n"));
        assertEquals("2026-11-20T00:00:00Z", j.getString("baseline.window.from"));
        assertEquals(20, j.getDouble("expected"), 1e-9);
        assertEquals(11, j.getDouble("excess"), 1e-9);
        assertEquals(1000 * ci.getLowerBound() - 20, j.getDouble("excess_ci.lower"), 1e-6);
        assertEquals(1000 * ci.getUpperBound() - 20, j.getDouble("excess_ci.upper"), 1e-6);
        assertEquals(1100, j.getDouble("money_at_stake_usd"), 1e-6);
        // The denominator is the cohort's approvals, not the site's: 1,000 + 500 (25-34) + 1,600 (XF) = 3,100.
        assertEquals(3100, j.getLong("site_n"));
        assertTrue(j.getString("denominator").startsWith("approved payments of country=XT & customer_age_band=18-24"),
                j.getString("denominator"));
        assertTrue(j.getString("denominator").contains("32.3% of the site's 3,100"), j.getString("denominator"));

        // A given baseline replaces the preceding window's.
        JsonPath given = ok("/analyses/impact?cohort=" + CA_YOUNG + "&baseline_rate=0.025" + WINDOW);
        assertEquals("given", given.getString("baseline.source"));
        assertEquals(6, given.getDouble("excess"), 1e-9);
    }

    @Test
    @Order(2)
    void whereLowerIsWorseTheShortfallIsTheHarm() {
        // Voice step-ups of XF: 300 each half-day; not passed 9 in the morning (3%), 42 in the afternoon (14%):
        // expected 9, excess 33 step-ups not passed.
        JsonPath j = ok("/analyses/impact?cohort=country=XF,channel=voice&metric=step-up-pass" + WINDOW);
        assertEquals("stepped-up payments not passed", j.getString("harmed"));
        assertEquals(300, j.getLong("n"));
        assertEquals(42, j.getLong("events"));
        assertEquals(0.14, j.getDouble("rate"), 1e-12);
        assertEquals(0.03, j.getDouble("baseline.rate"), 1e-12);
        assertEquals(9, j.getDouble("expected"), 1e-9);
        assertEquals(33, j.getDouble("excess"), 1e-9);
        // A given baseline is the metric's own rate (97% passed), turned into its harm (3% not passed).
        assertEquals(33, ok("/analyses/impact?cohort=country=XF,channel=voice&metric=step-up-pass&baseline_rate=0.97"
                + WINDOW).getDouble("excess"), 1e-9);
    }

    @Test
    @Order(3)
    void aWindowWithoutDataSaysNEqualsZeroAndNoRate() {
        JsonPath j = ok("/analyses/impact?cohort=" + CA_YOUNG
                + "&from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z");
        assertEquals(0, j.getLong("n"));
        Map<String, Object> body = j.getMap("$");
        assertFalse(body.containsKey("rate"), body.toString());
        assertFalse(body.containsKey("excess"), body.toString());
        assertTrue(j.getString("note").contains("no rate"), j.getString("note"));
    }

    @Test
    @Order(4)
    void slicesRankMerchantsByTheirShareOfTheExcess() {
        JsonPath j = ok("/analyses/slices?cohort=" + CA_YOUNG + "&by=merchant" + WINDOW);
        // Baseline 2%: m1 22 - 8 = 14, m2 6 - 6 = 0, m3 3 - 6 = -3; total 11.
        assertEquals(List.of("m1", "m2", "m3"), j.getList("slices.value"));
        assertEquals(14, j.getDouble("slices[0].excess"), 1e-9);
        assertEquals(14.0 / 11, j.getDouble("slices[0].share"), 1e-12);
        assertEquals(0, j.getDouble("slices[1].excess"), 1e-9);
        assertEquals(-3, j.getDouble("slices[2].excess"), 1e-9);
        assertEquals(1.0, j.getDouble("slices[2].cumulative_share"), 1e-12);
        assertEquals(11, j.getDouble("total_excess"), 1e-9);
        assertEquals(400, j.getLong("slices[0].n"));

        // BIN slices are masked: four digits, the rest starred.
        JsonPath bins = ok("/analyses/slices?cohort=" + CA_YOUNG + "&by=bin" + WINDOW);
        assertEquals(List.of("4532****"), bins.getList("slices.value"));
    }

    @Test
    @Order(5)
    void whatIfCountsTheFalsePositivesAndTheFraudsNewlyCaught() {
        JsonPath j = ok("/analyses/what-if?cohort=" + CA_YOUNG + "&threshold=0.5&current_threshold=0.8"
                + "&review_capacity=300" + WINDOW);
        // 1,200 decisions, 31 frauds. At 0.8 only the 200 declines are flagged: TPR 0, FPR 200/1,169.
        // At 0.5: 21 frauds and 100 + 200 legitimate: TPR 21/31, FPR 300/1,169.
        assertEquals(1200, j.getLong("n"));
        assertEquals(31, j.getLong("frauds"));
        assertEquals(0.0, j.getDouble("current.true_positive_rate"), 1e-12);
        assertEquals(200.0 / 1169, j.getDouble("current.false_positive_rate"), 1e-12);
        assertEquals(21.0 / 31, j.getDouble("proposed.true_positive_rate"), 1e-12);
        assertEquals(300.0 / 1169, j.getDouble("proposed.false_positive_rate"), 1e-12);
        assertEquals(100, j.getDouble("false_positives_added"), 1e-9);
        assertEquals(21, j.getDouble("frauds_newly_caught"), 1e-9);
        assertEquals(200, j.getDouble("flagged_before"), 1e-9);
        assertEquals(321, j.getDouble("flagged_after"), 1e-9);
        assertEquals(121, j.getDouble("flagged_added"), 1e-9);
        assertFalse(j.getBoolean("within_capacity"), "321 flagged against a desk of 300");

        // The shadow model's logged scores (each 0.1 higher): at 0.5 the frauds at 0.55 -> 0.65 and 0.3 -> 0.4 and
        // legitimate 0.55 -> 0.65, 0.1 -> 0.2, declines 0.9 -> 0.99: the same flags as the champion at 0.5.
        JsonPath shadow = ok("/analyses/what-if?cohort=" + CA_YOUNG + "&threshold=0.5&current_threshold=0.8"
                + "&model=m-shadow" + WINDOW);
        assertEquals(21.0 / 31, shadow.getDouble("proposed.true_positive_rate"), 1e-12);
        assertEquals(1200, shadow.getLong("n"));
    }

    @Test
    @Order(6)
    void funnelNamesTheVoiceStepUpStepWithItsInterval() {
        JsonPath j = ok("/analyses/funnel?cohort=country=XF&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z"
                + "&at=2026-11-20T12:00:00Z");
        assertEquals("voice", j.getString("broken_channel"));
        assertEquals("approved or passed step-up", j.getString("broken_step"));
        Map<String, Object> voice = j.getMap("channels.find { it.channel == 'voice' }");
        assertEquals(List.of(1000, 991, 950, 900), voice.get("before"));
        assertEquals(List.of(1000, 958, 918, 870), voice.get("after"));
        // 958/1000 - 991/1000 = -0.033, SE sqrt(.991 x .009 / 1000 + .958 x .042 / 1000).
        double se = Math.sqrt(0.991 * 0.009 / 1000 + 0.958 * 0.042 / 1000);
        assertEquals(-0.033, j.getDouble("channels.find { it.channel == 'voice' }.steps[0].change"), 1e-12);
        assertEquals(-0.033 + 1.959963984540054 * se,
                j.getDouble("channels.find { it.channel == 'voice' }.steps[0].change_ci.upper"), 1e-9);
        assertNull(j.getString("channels.find { it.channel == 'web' }.broken_step"));

        String svg = as("operator").get("/analyses/funnel/chart.svg?cohort=country=XF&from=2026-11-20T00:00:00Z"
                + "&to=2026-11-21T00:00:00Z&at=2026-11-20T12:00:00Z").then().statusCode(200)
                .contentType("image/svg+xml").extract().asString();
        assertTrue(svg.startsWith("<?xml"), svg);
        assertTrue(svg.contains("voice: broken step &apos;approved or passed step-up&apos;"), svg);
        assertTrue(svg.contains("#d62728"), "the significant drop drawn red");
    }

    @Test
    @Order(7)
    void differenceInDifferencesSetsVoiceAgainstWeb() {
        JsonPath j = ok("/analyses/did?cohort=country=XF,channel=voice&control=country=XF,channel=web"
                + "&metric=step-up-pass&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&at=2026-11-20T12:00:00Z");
        // Voice 291/300 -> 258/300 (-0.11), web 95/100 -> 94/100 (-0.01): -0.10.
        double se = Math.sqrt(0.97 * 0.03 / 300 + 0.86 * 0.14 / 300 + 0.95 * 0.05 / 100 + 0.94 * 0.06 / 100);
        assertEquals(-0.11, j.getDouble("affected_change"), 1e-12);
        assertEquals(-0.01, j.getDouble("control_change"), 1e-12);
        assertEquals(-0.10, j.getDouble("estimate"), 1e-12);
        assertEquals(-0.10 - 1.959963984540054 * se, j.getDouble("ci.lower"), 1e-9);
        assertTrue(j.getBoolean("significant"));
    }

    @Test
    @Order(8)
    void switchbackPlansFromTheMeasuredVolume() {
        JsonPath j = ok("/analyses/switchback?cohort=" + CA_YOUNG + "&effect=0.01&carry_over_hours=0.25" + WINDOW);
        // 1,000 approvals over 12 h: 83.3 an hour at 3.1%.
        assertEquals(1000, j.getLong("n"));
        assertEquals(0.031, j.getDouble("baseline_rate"), 1e-12);
        assertEquals(1000 / 12.0, j.getDouble("decisions_per_hour"), 1e-9);
        assertEquals(1.0, j.getDouble("block_hours"), 1e-12);
        assertEquals(0, j.getInt("blocks") % 2);
        assertTrue(j.getInt("blocks") >= 2);
    }

    @Test
    @Order(9)
    void casesAreStratifiedAndMasked() {
        String body = as("operator").get("/analyses/cases?cohort=" + CA_YOUNG + "&per_stratum=2" + WINDOW).then()
                .statusCode(200).extract().asString();
        JsonPath j = JsonPath.from(body).using(DOUBLES);
        assertEquals(List.of("approved, no fraud label | score 0.0-0.2", "approved, no fraud label | score 0.4-0.6",
                "decline | score 0.8-1.0", "fraud | score 0.2-0.4", "fraud | score 0.4-0.6"),
                j.getList("strata.stratum"));
        assertEquals(10, j.getList("cases").size());
        assertFalse(body.contains("acct-secret"), "account ids never in an answer");
        assertFalse(body.contains("45320151"), "BINs masked");
        assertTrue(j.getString("cases[0].account").matches("\\*\\*\\*\\*\\d{4}"), j.getString("cases[0].account"));
        assertEquals("amount_usd", j.getString("cases[0].features[0].name"));
        assertEquals("HIGH_AMOUNT", j.getString("cases[0].reasons[0].code"));
    }

    /**
     * Throughput of the ledger (a measurement, printed; nothing asserted about time): 20,000 decisions shaped like
     * the stack's (30 features, champion and shadow scores, 3 reasons) produced at once; rows/s counted from the end
     * of producing (what the consumer still had to write) and over the whole run.
     */
    @Test
    @Order(10)
    void measureLedgerThroughput() throws Exception {
        int total = 20_000;
        Instant day = Instant.parse("2026-11-19T00:00:00Z");
        List<DecisionMade> batch = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            DecisionMade.Builder d = DecisionMade.newBuilder().setDecisionId("dec-bench-" + i)
                    .setTransactionId("tx-bench-" + i).setAccountId("acct-bench-" + i)
                    .setDecidedAt(ts(day.plusMillis(i * 4L))).setPaymentCreatedAt(ts(day.plusMillis(i * 4L)))
                    .setDecision(Decision.DECISION_APPROVE).setScore(0.1).setArm(Arm.ARM_CHAMPION)
                    .setModelVersion("m-1").setPolicyVersion("p-1").setFeatureContract("checkout-features/v1")
                    .addArmScores(ArmScore.newBuilder().setModelVersion("m-1").setRole(ArmRole.ARM_ROLE_CHAMPION)
                            .setScore(0.1).setDecided(true))
                    .addArmScores(ArmScore.newBuilder().setModelVersion("m-2").setRole(ArmRole.ARM_ROLE_SHADOW)
                            .setScore(0.12))
                    .setAttributes(DecisionAttributes.newBuilder().setCountry("XB").setCustomerAgeBand("25-34")
                            .setChannel("web").setMerchantId("m" + (i % 50)).setDeviceId("dev-" + i)
                            .setCardBin("45320151").setCardIssuerCountry("US").setAmountUsd(42.5));
            for (int f = 0; f < 30; f++) {
                d.addFeatures(FeatureUsed.newBuilder().setName("feature_" + f).setValue(i * 0.001 + f));
            }
            for (int k = 0; k < 3; k++) {
                d.addReasons(Reason.newBuilder().setCode("R" + k).setFeature("feature_" + k).setContribution(0.1));
            }
            batch.add(d.build());
        }
        String countSql = "SELECT count(*) FROM ledger_decision WHERE country = 'XB'";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long start = System.nanoTime();
        long flushed;
        long atFlush;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (DecisionMade d : batch) {
                producer.send(new ProducerRecord<>("vigil.decisions.v1", d.getTransactionId(), d.toByteArray()));
            }
            producer.flush();
            flushed = System.nanoTime();
            atFlush = count(countSql);
        }
        awaitCount(countSql, total);
        long done = System.nanoTime();
        double afterFlush = (total - atFlush) / ((done - flushed) / 1e9);
        double overall = total / ((done - start) / 1e9);
        System.out.printf("LEDGER THROUGHPUT: %d decisions (30 features each); %d already written when the producer "
                + "had flushed; %.0f rows/s after that, %.0f rows/s over the whole run (producing included)%n",
                total, atFlush, afterFlush, overall);
        assertEquals(total, count(countSql));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "/analyses/impact?cohort=planet=mars | cohort",
            "/analyses/impact?cohort=country | cohort",
            "/analyses/impact?metric=happiness | metric",
            "/analyses/impact?from=2099-01-01T00:00:00Z | from",
            "/analyses/impact?from=2026-11-20T12:00:00Z&to=2026-11-20T06:00:00Z | from",
            "/analyses/impact?from=yesterday | from",
            "/analyses/impact?baseline_rate=1.5 | baseline_rate",
            "/analyses/slices?by=shoe_size | by",
            "/analyses/slices?limit=0 | limit",
            "/analyses/what-if?threshold=1.5&current_threshold=0.5 | threshold",
            "/analyses/what-if?threshold=0&current_threshold=0.5 | threshold",
            "/analyses/what-if?threshold=abc&current_threshold=0.5 | threshold",
            "/analyses/what-if?threshold=0.5&current_threshold=-1 | current_threshold",
            "/analyses/what-if?threshold=0.5 | current_threshold",
            "/analyses/funnel | at",
            "/analyses/funnel?at=2020-01-01T00:00:00Z | at",
            "/analyses/did?cohort=channel=voice&control=foo=bar&at=2026-11-20T12:00:00Z | control",
            "/analyses/did?at=2026-11-20T12:00:00Z&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z | cohort",
            "/analyses/switchback?effect=2 | effect",
            "/analyses/switchback?effect=0.01&power=1 | power",
            "/analyses/cases?per_stratum=500 | per_stratum",
            "/analyses/impact?cohort=country=a%00b | cohort",
            "/analyses/impact?cohort=country=%0Aa | cohort",
            "/analyses/what-if?threshold=0.5&current_threshold=0.6&model=m%00 | model",
            "/analyses/impact?from=%2B1000000000-12-31T23:59:59Z | from",
            "/analyses/impact?to=1900-01-01T00:00:00Z | to",
            "/analyses/switchback?effect=1e-300 | effect" })
    void badInputIsA400NamingTheField(String path, String field) {
        // Sent as written (already encoded where it must be), so a NUL reaches the service as a NUL.
        as("operator").urlEncodingEnabled(false).get(path).then().statusCode(400).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo(field))
                .body("status", org.hamcrest.Matchers.equalTo(400));
    }

    @Test
    void analysesNeedAnOperatorOrCommander() {
        as("viewer").get("/analyses/impact?cohort=" + CA_YOUNG + WINDOW).then().statusCode(403);
        as("commander").get("/analyses/impact?cohort=" + CA_YOUNG + WINDOW).then().statusCode(200);
        given().get("/analyses/impact").then().statusCode(401);
    }
}
