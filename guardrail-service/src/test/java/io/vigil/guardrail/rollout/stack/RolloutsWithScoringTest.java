package io.vigil.guardrail.rollout.stack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.w3c.dom.Document;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.LimitEvidence;
import io.vigil.contracts.events.v1.LimitProjection;
import io.vigil.contracts.events.v1.RolloutState;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.security.TestTokens;

/**
 * Rollouts against the REAL scoring-service (a process from its built jar), a real Kafka broker and PostgreSQL: a
 * plan drives scoring's line-up step by step (challenger share and policy together), verdicts published on
 * vigil.verdicts.v1 promote it, a sign-off releases it, a ROLLBACK verdict restores the exact previous line-up and a
 * redelivery changes nothing; with scoring-service frozen the rollback waits in ROLLING_BACK, retrying, and is applied
 * once it is back. The methods build on each other, in order.
 */
@QuarkusTest
@TestProfile(RolloutsWithScoringTest.WithScoring.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutsWithScoringTest {

    public static class WithScoring implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RolloutStack.class, Map.of("database", "vigil_guardrail_rollouts")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static final String WATCHES = "vigil.guardrail.rollout-watches";
    /** Event time of the verdicts: after the REST-driven start (event time "now"), as live verdicts are. */
    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);

    static final String PLAN = """
            target:
              model_version: tiny-c
              policy_version: p-2
            reason: relaunch of tiny-c with p-2
            steps:
              - share: 0.10
                minimum_duration: 30m
                minimum_exposure: 2000
              - share: 0.25
                minimum_duration: 1h
                minimum_exposure: 2000
                sign_off: [risk]
              - share: 0.50
                minimum_duration: 1h
                minimum_exposure: 5000
            guardrails:
              - name: conversion
                metric: CONVERSION
                cohort: country=CA & age=18-24
                margin: 0.5pp
                action: ROLLBACK
            """;

    KafkaBroker broker;
    QuarkusServiceProcess scoring;

    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> events;
    private KafkaConsumer<String, byte[]> watches;
    private final List<RolloutStateChanged> changes = new ArrayList<>();
    private final List<RolloutWatch> watched = new ArrayList<>();
    private String rolloutId;

    @BeforeAll
    void connect() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        events = consumer(EventTopics.ROLLOUTS);
        watches = consumer(WATCHES);
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "rollouts-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @AfterAll
    void disconnect() {
        producer.close();
        events.close();
        watches.close();
    }

    static RequestSpecification guardrail(String role) {
        return given().header("Authorization", TestTokens.bearer(role, role + "-person@example"));
    }

    RequestSpecification scoringApi() {
        return given().baseUri(scoring.baseUrl()).header("Authorization", TestTokens.bearer("operator", "setup"));
    }

    @Test
    @Order(1)
    void refusesWhoMayNotAndWhatCannotRun() {
        given().contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        guardrail("viewer").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then().statusCode(403);
        guardrail("viewer").get("/rollouts").then().statusCode(200);
        // tiny-c is not registered in scoring-service yet
        guardrail("operator").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("field", equalTo("target.model_version"));
        guardrail("operator").contentType("application/yaml").body(PLAN.replace("margin: 0.5pp", "margin: 0.5").getBytes(StandardCharsets.UTF_8))
                .post("/rollouts").then().statusCode(400).body("field", equalTo("guardrails[0].margin"));
        guardrail("operator").contentType("application/json").body("{\"target\": {\"model_version\": \"tiny-c\"}, "
                + "\"steps\": [{\"share\": 0.5, \"minimum_duration\": \"1h\", \"minimum_exposure\": 10}, "
                + "{\"share\": 0.2, \"minimum_duration\": \"1h\", \"minimum_exposure\": 10}], \"guardrails\": "
                + "[{\"name\": \"c\", \"metric\": \"CONVERSION\", \"margin\": \"1pp\"}]}")
                .post("/rollouts").then().statusCode(400).body("field", equalTo("steps[1].share"));
        guardrail("viewer").get("/rollouts").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    @Order(2)
    void startsTheFirstStepInScoringService() {
        scoringApi().contentType("application/json").body("{\"version\": \"tiny-c\", \"path\": \"tiny/model.json\"}")
                .post("/models").then().statusCode(201);
        scoringApi().contentType("application/json").body("{\"version\": \"p-2\", \"reason\": \"tighter\", \"rules\": "
                + "[{\"name\": \"default\", \"step_up\": 0.2, \"review\": 0.5, \"decline\": 0.8}]}")
                .post("/policies").then().statusCode(201);

        rolloutId = guardrail("operator").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then()
                .statusCode(201)
                .body("summary.state", equalTo("RUNNING"))
                .body("summary.share", equalTo(0.10f))
                .body("summary.created_by", equalTo("operator-person@example"))
                .body("guardrails[0].margin", equalTo("0.5pp"))
                .body("guardrails[0].cohort", equalTo("country=CA & age=18-24"))
                .extract().path("summary.id");
        scoringApi().get("/lineup").then().statusCode(200)
                .body("champion_model_version", equalTo("tiny-2tree"))
                .body("challenger_model_version", equalTo("tiny-c"))
                .body("challenger_share", equalTo(0.10f))
                .body("policy_version", equalTo("p-2"));
        scoringApi().get("/models/audit").then().body("[-1].actor", equalTo("guardrail-service"));

        RolloutWatch w = awaitWatch(x -> x.getSharesCount() == 1);
        assertTrue(w.getActive());
        assertEquals("tiny-c", w.getTreatmentModelVersion());
        assertEquals(0.10, w.getShares(0).getShare());
        assertEquals(0.005, w.getGuardrails(0).getMargin(), 1e-15);
        assertEquals(2000, w.getGuardrails(0).getMinimumExposurePerArm());

        // A second rollout of the same model: 409. An illegal transition: 409.
        guardrail("operator").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then().statusCode(409)
                .body("field", equalTo("target.model_version"));
        guardrail("operator").contentType("application/json").body("{\"reason\": \"go on\"}")
                .post("/rollouts/" + rolloutId + "/resume").then().statusCode(409).body("field", equalTo("state"));
        guardrail("operator").contentType("application/json").body("{}")
                .post("/rollouts/" + rolloutId + "/pause").then().statusCode(400).body("field", equalTo("reason"));
        guardrail("viewer").contentType("application/json").body("{\"reason\": \"x\"}")
                .post("/rollouts/" + rolloutId + "/pause").then().statusCode(403);
    }

    @Test
    @Order(3)
    void verdictsPromoteAndASignOffReleasesTheStep() {
        publish(verdict("v-1", VerdictKind.VERDICT_KIND_PROMOTE_STEP, 0.10, T0.plusSeconds(3600), 0.001));
        await(() -> "RUNNING".equals(state()) && stepIndex() == 1, "promoted to step 1");
        scoringApi().get("/lineup").then().body("challenger_share", equalTo(0.25f));
        RolloutWatch w = awaitWatch(x -> x.getSharesCount() == 2);
        assertEquals(T0.plusSeconds(3600).toEpochMilli(), w.getShares(1).getFromMillis());
        assertEquals(Duration.ofHours(1).toMillis(), w.getMinimumStepMillis());

        // A late verdict of step 0 changes nothing.
        publish(verdict("v-0-late", VerdictKind.VERDICT_KIND_PROMOTE_STEP, 0.10, T0.plusSeconds(3660), 0.001));
        publish(verdict("v-2", VerdictKind.VERDICT_KIND_PROMOTE_STEP, 0.25, T0.plusSeconds(7200), 0.0));
        await(() -> "AWAITING_SIGN_OFF".equals(state()), "waiting for risk");
        guardrail("viewer").get("/rollouts/" + rolloutId + "/verdicts").then().statusCode(200)
                .body("verdict_id", org.hamcrest.Matchers.contains("v-1", "v-0-late", "v-2"))
                .body("[1].outcome", equalTo("STORED (for another step)"));

        guardrail("operator").contentType("application/json").body("{\"reason\": \"now\"}")
                .post("/rollouts/" + rolloutId + "/promote").then().statusCode(409)
                .body("field", equalTo("sign_off")).body("detail", org.hamcrest.Matchers.containsString("risk"));
        guardrail("operator").contentType("application/json").body("{\"role\": \"finance\"}")
                .post("/rollouts/" + rolloutId + "/sign-offs").then().statusCode(400).body("field", equalTo("role"));
        given().header("Authorization", TestTokens.bearer("operator", "rita@risk.example"))
                .contentType("application/json").body("{\"role\": \"risk\", \"reason\": \"numbers look fine\"}")
                .post("/rollouts/" + rolloutId + "/sign-offs").then().statusCode(201)
                .body("summary.state", equalTo("RUNNING"))
                .body("summary.step_index", equalTo(2))
                .body("steps[1].signed[0].subject", equalTo("rita@risk.example"));
        scoringApi().get("/lineup").then().body("challenger_share", equalTo(0.50f)).body("policy_version",
                equalTo("p-2"));
    }

    @Test
    @Order(4)
    void aRollbackVerdictRestoresTheExactPreviousLineupOnce() throws Exception {
        publish(verdict("v-3", VerdictKind.VERDICT_KIND_ROLLBACK, 0.50, T0.plusSeconds(9000), 0.012));
        await(() -> "ROLLED_BACK".equals(state()), "rolled back");
        scoringApi().get("/lineup").then()
                .body("champion_model_version", equalTo("tiny-2tree"))
                .body("challenger_model_version", equalTo(null))
                .body("challenger_share", equalTo(0.0f))
                .body("policy_version", equalTo("built-in"));
        int audited = guardrail("viewer").get("/rollouts/" + rolloutId).then().extract().path("audit.size()");
        String revision = scoringApi().get("/lineup").then().extract().path("revision");

        // The same verdict again: stored once, acted on once.
        publish(verdict("v-3", VerdictKind.VERDICT_KIND_ROLLBACK, 0.50, T0.plusSeconds(9000), 0.012));
        publish(verdict("v-4", VerdictKind.VERDICT_KIND_HOLD, 0.50, T0.plusSeconds(9060), 0.012));
        await(() -> {
            List<String> ids = guardrail("viewer").get("/rollouts/" + rolloutId + "/verdicts").then().extract()
                    .path("verdict_id");
            return ids.contains("v-4");
        }, "the next verdict stored");
        guardrail("viewer").get("/rollouts/" + rolloutId).then()
                .body("audit.size()", equalTo(audited))
                .body("summary.state", equalTo("ROLLED_BACK"))
                .body("summary.last_verdict.kind", equalTo("HOLD"));
        scoringApi().get("/lineup").then().body("revision", equalTo(revision));

        List<RolloutState> states = new ArrayList<>();
        await(() -> {
            drainEvents();
            return changes.stream().anyMatch(c -> c.getState() == RolloutState.ROLLOUT_STATE_ROLLED_BACK);
        }, "RolloutStateChanged ROLLED_BACK");
        changes.stream().filter(c -> c.getRolloutId().equals(rolloutId)).forEach(c -> states.add(c.getState()));
        assertEquals(List.of(RolloutState.ROLLOUT_STATE_PENDING, RolloutState.ROLLOUT_STATE_RUNNING,
                RolloutState.ROLLOUT_STATE_RUNNING, RolloutState.ROLLOUT_STATE_AWAITING_SIGN_OFF,
                RolloutState.ROLLOUT_STATE_AWAITING_SIGN_OFF, RolloutState.ROLLOUT_STATE_RUNNING,
                RolloutState.ROLLOUT_STATE_ROLLING_BACK, RolloutState.ROLLOUT_STATE_ROLLED_BACK), states);
        RolloutStateChanged rollback = changes.stream()
                .filter(c -> c.getState() == RolloutState.ROLLOUT_STATE_ROLLING_BACK).findFirst().orElseThrow();
        assertEquals("v-3", rollback.getVerdictId());
        assertEquals("guardrail-service", rollback.getActor());
        assertEquals(T0.plusSeconds(9000), ProtoTime.toInstant(rollback.getChangedAt()));
        RolloutStateChanged restored = changes.get(changes.size() - 1);
        assertEquals("tiny-2tree", restored.getLineupAfter().getChampionModelVersion());
        assertEquals("built-in", restored.getLineupAfter().getPolicyVersion());
        assertEquals("", restored.getLineupAfter().getChallengerModelVersion());
        assertTrue(awaitWatch(x -> !x.getActive()) != null);

        // The evidence as a picture: well-formed SVG with one marker per verdict of the guardrail.
        String svg = guardrail("viewer").get("/rollouts/" + rolloutId + "/guardrails/conversion/chart.svg").then()
                .statusCode(200).contentType(startsWith("image/svg+xml")).extract().asString();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(5, doc.getElementsByTagName("circle").getLength());
        assertTrue(svg.contains("verdict ROLLBACK"));
        guardrail("viewer").get("/rollouts/" + rolloutId + "/guardrails/nope/chart.svg").then().statusCode(404);
    }

    @Test
    @Order(5)
    void aRollbackWaitsForScoringServiceAndIsAppliedWhenItIsBack() throws Exception {
        String second = guardrail("operator").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then()
                .statusCode(201).body("summary.state", equalTo("RUNNING")).extract().path("summary.id");
        scoringApi().get("/lineup").then().body("challenger_share", equalTo(0.10f));
        double failedBefore = failures();
        signal("STOP");
        try {
            rolloutId = second;
            publish(verdict("w-1", VerdictKind.VERDICT_KIND_ROLLBACK, 0.10, T0.plusSeconds(20_000), 0.02));
            await(() -> "ROLLING_BACK".equals(state()), "rolling back");
            // Retrying with backoff against a frozen scoring-service: still ROLLING_BACK, failures counted.
            await(() -> failures() >= failedBefore + 2, "two failed attempts counted");
            assertEquals("ROLLING_BACK", state());
        } finally {
            signal("CONT");
        }
        await(() -> "ROLLED_BACK".equals(state()), "rolled back once scoring-service is back");
        scoringApi().get("/lineup").then().body("challenger_model_version", equalTo(null))
                .body("policy_version", equalTo("built-in"));
    }

    @Test
    @Order(6)
    void anOperatorPausesResumesAndAbortsRestoringTheLineup() {
        String revision = scoringApi().get("/lineup").then().extract().path("revision");
        rolloutId = guardrail("operator").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8))
                .post("/rollouts").then().statusCode(201).extract().path("summary.id");
        guardrail("operator").contentType("application/json").body("{\"reason\": \"incident 42\"}")
                .post("/rollouts/" + rolloutId + "/pause").then().statusCode(200)
                .body("summary.state", equalTo("PAUSED"));
        guardrail("operator").contentType("application/json").body("{\"reason\": \"again\"}")
                .post("/rollouts/" + rolloutId + "/pause").then().statusCode(409).body("field", equalTo("state"));
        // A PROMOTE_STEP verdict while paused is stored, not acted on.
        publish(verdict("p-1", VerdictKind.VERDICT_KIND_PROMOTE_STEP, 0.10, T0.plusSeconds(30_000), 0.0));
        await(() -> {
            List<String> ids = guardrail("viewer").get("/rollouts/" + rolloutId + "/verdicts").then().extract()
                    .path("verdict_id");
            return ids.contains("p-1");
        }, "the verdict stored");
        guardrail("operator").contentType("application/json").body("{\"reason\": \"resolved\"}")
                .post("/rollouts/" + rolloutId + "/resume").then().statusCode(200)
                .body("summary.state", equalTo("RUNNING")).body("summary.step_index", equalTo(0));
        given().header("Authorization", TestTokens.bearer("operator", "olga@ops.example"))
                .contentType("application/json").body("{\"reason\": \"not today\"}")
                .post("/rollouts/" + rolloutId + "/abort").then().statusCode(200)
                .body("summary.state", equalTo("ABORTED"))
                .body("audit.find { it.action == 'abort' }.actor", equalTo("olga@ops.example"));
        scoringApi().get("/lineup").then().body("revision", equalTo(revision));
        guardrail("operator").contentType("application/json").body("{\"reason\": \"oops\"}")
                .post("/rollouts/" + rolloutId + "/resume").then().statusCode(409);
        guardrail("viewer").get("/rollouts/ro-nope").then().statusCode(404).body("field", equalTo("id"));
    }

    static final String LIMITS = PLAN + """
              - name: review-queue
                metric: REVIEW_QUEUE_LOAD
                capacity: 1200
                period: hour
                action: ALERT
              - name: step-ups
                metric: STEP_UP_BUDGET
              - name: chargebacks
                metric: CHARGEBACK_RATE
                ceiling: 0.9%
            """;

    @Test
    @Order(7)
    void anOperatorChangesACapacityAuditedAndTheTopologyIsToldAtOnce() throws Exception {
        rolloutId = guardrail("operator").contentType("application/yaml")
                .body(LIMITS.getBytes(StandardCharsets.UTF_8)).post("/rollouts").then().statusCode(201)
                .body("summary.state", equalTo("RUNNING"))
                .body("guardrails[1].limit", equalTo("1200 per 1h"))
                .body("guardrails[1].margin", equalTo(null))
                .body("guardrails[1].period_seconds", equalTo(3600))
                // the configured default (guardrail.capacity.step-up-budget, per guardrail.capacity.period)
                .body("guardrails[2].limit", equalTo("20000 per 1h"))
                .body("guardrails[3].limit", equalTo("0.9%"))
                .body("guardrails[3].limit_value", equalTo(0.009f))
                .extract().path("summary.id");
        RolloutWatch w = awaitWatch(x -> x.getGuardrailsCount() == 4);
        assertEquals(1200, w.getGuardrails(1).getLimit());
        assertEquals(Duration.ofHours(1).toMillis(), w.getGuardrails(1).getPeriodMillis());
        assertEquals(0.009, w.getGuardrails(3).getLimit(), 1e-15);
        assertEquals(List.of(0.10, 0.25, 0.50), w.getPlannedSharesList());

        String capacity = "/rollouts/" + rolloutId + "/guardrails/review-queue/capacity";
        guardrail("viewer").contentType("application/json").body("{\"capacity\": 1500, \"reason\": \"x\"}")
                .put(capacity).then().statusCode(403);
        guardrail("operator").contentType("application/json").body("{\"capacity\": -5, \"reason\": \"x\"}")
                .put(capacity).then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("field", equalTo("capacity"));
        guardrail("operator").contentType("application/json").body("{\"capacity\": \"lots\", \"reason\": \"x\"}")
                .put(capacity).then().statusCode(400).body("field", equalTo("capacity"));
        guardrail("operator").contentType("application/json")
                .body("{\"capacity\": 1500, \"period\": \"fortnight\", \"reason\": \"x\"}")
                .put(capacity).then().statusCode(400).body("field", equalTo("period"))
                .body("detail", org.hamcrest.Matchers.containsString("'fortnight' is not a period"));
        guardrail("operator").contentType("application/json").body("{\"capacity\": 1500}")
                .put(capacity).then().statusCode(400).body("field", equalTo("reason"));
        guardrail("operator").contentType("application/json").body("{\"capacity\": 1500, \"reason\": \"x\"}")
                .put("/rollouts/" + rolloutId + "/guardrails/conversion/capacity").then().statusCode(400)
                .body("field", equalTo("capacity"))
                .body("detail", org.hamcrest.Matchers.containsString("CONVERSION) has no capacity"));
        guardrail("operator").contentType("application/json").body("{\"capacity\": 1500, \"reason\": \"x\"}")
                .put("/rollouts/" + rolloutId + "/guardrails/nope/capacity").then().statusCode(404)
                .body("field", equalTo("name"));

        given().header("Authorization", TestTokens.bearer("operator", "rita@risk.example"))
                .contentType("application/json")
                .body("{\"capacity\": 1500, \"period\": \"day\", \"reason\": \"two more reviewers\"}")
                .put(capacity).then().statusCode(200)
                .body("summary.state", equalTo("RUNNING"))
                .body("guardrails[1].limit", equalTo("1500 per 1d"))
                .body("guardrails[1].period_seconds", equalTo(86_400))
                .body("audit[-1].action", equalTo("capacity"))
                .body("audit[-1].actor", equalTo("rita@risk.example"))
                .body("audit[-1].reason", equalTo("capacity of review-queue: 1200 per 1h -> 1500 per 1d: two more "
                        + "reviewers"))
                .body("audit[-1].state_before", equalTo("RUNNING"))
                .body("audit[-1].state_after", equalTo("RUNNING"))
                .body("audit[-1].change_before", equalTo("{\"guardrail\":\"review-queue\",\"capacity\":1200.0,"
                        + "\"period\":\"1h\"}"))
                .body("audit[-1].change_after", equalTo("{\"guardrail\":\"review-queue\",\"capacity\":1500.0,"
                        + "\"period\":\"1d\"}"));
        // The watch is republished with the new capacity (the topology judges every minute from then on with it).
        RolloutWatch changed = awaitWatch(x -> x.getGuardrailsCount() == 4 && x.getGuardrails(1).getLimit() == 1500);
        assertEquals(Duration.ofDays(1).toMillis(), changed.getGuardrails(1).getPeriodMillis());
        assertEquals(1, changed.getSharesCount());
        await(() -> {
            drainEvents();
            return changes.stream().anyMatch(c -> c.getRolloutId().equals(rolloutId)
                    && c.getReason().startsWith("capacity of review-queue"));
        }, "RolloutStateChanged for the capacity");

        // A verdict's limit evidence over REST and in the guardrail's chart, against the capacity now in force.
        VerdictIssued hold = verdict("c-1", VerdictKind.VERDICT_KIND_HOLD, 0.10, T0.plusSeconds(40_000), 0.0)
                .toBuilder().addEvidence(GuardrailEvidence.newBuilder().setGuardrail("review-queue")
                        .setMetric("REVIEW_QUEUE_LOAD").setJudgement(Judgement.JUDGEMENT_INCONCLUSIVE)
                        .setEstimate(-0.001).setHarmLower(-0.002).setHarmUpper(0.0005).setTreatmentExposure(6_000)
                        .setControlExposure(54_000).setAlpha(0.0125)
                        .setLimit(LimitEvidence.newBuilder().setLimit(1_500)
                                .setPeriodSeconds(86_400).setDecisionsPerPeriod(1_440_000)
                                .addProjections(LimitProjection.newBuilder()
                                        .setShare(0.1).setEstimate(1_400).setLower(1_300).setUpper(1_520))
                                .addProjections(LimitProjection.newBuilder()
                                        .setShare(0.25).setEstimate(1_700).setLower(1_600).setUpper(1_800))
                                .setBlocksPromotion("promotion to 25% would overload the review queue")))
                .build();
        publish(hold);
        await(() -> {
            List<String> ids = guardrail("viewer").get("/rollouts/" + rolloutId + "/verdicts").then().extract()
                    .path("verdict_id");
            return ids.contains("c-1");
        }, "the verdict stored");
        guardrail("viewer").get("/rollouts/" + rolloutId + "/verdicts").then()
                .body("[0].evidence[1].limit.limit", equalTo(1500.0f))
                .body("[0].evidence[1].limit.period_seconds", equalTo(86_400))
                .body("[0].evidence[1].limit.projections[1].lower", equalTo(1600.0f))
                .body("[0].evidence[1].limit.blocks_promotion", equalTo("promotion to 25% would overload the review "
                        + "queue"))
                .body("[0].evidence[0].limit", equalTo(null));
        String svg = guardrail("viewer").get("/rollouts/" + rolloutId + "/guardrails/review-queue/chart.svg").then()
                .statusCode(200).extract().asString();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, doc.getElementsByTagName("circle").getLength());
        assertTrue(svg.contains("capacity 1500/1d"), svg);

        guardrail("operator").contentType("application/json").body("{\"reason\": \"done here\"}")
                .post("/rollouts/" + rolloutId + "/abort").then().statusCode(200);
        guardrail("operator").contentType("application/json").body("{\"capacity\": 1800, \"reason\": \"x\"}")
                .put(capacity).then().statusCode(409).body("field", equalTo("state"));
    }

    @Test
    @Order(8)
    void answersEveryHostileRestRequestWithoutA5xx() throws Exception {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        // As an admin, so hostile input reaches every operation; scoring-service is up, so a 5xx would be this
        // service's own fault (a 503 for an unreachable scoring-service is not what is tested here).
        io.vigil.testing.fuzz.OpenApiFuzzer.Report report = new io.vigil.testing.fuzz.OpenApiFuzzer(
                "http://127.0.0.1:" + port, 16, 30, TestTokens.bearer("admin", "fuzzer")).run();
        System.out.printf("REST fuzz: %d requests over %d operations %s, by status %s%n", report.requests(),
                report.operations().size(), report.operations(), report.byStatus());
        assertTrue(report.operations().size() >= 11, report.operations().toString());
        assertEquals(List.of(), report.findings());
    }

    // ---- helpers

    private double failures() {
        String metrics = given().get("/q/metrics").then().extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("vigil_guardrail_scoring_failures_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(scoring.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private String state() {
        return guardrail("viewer").get("/rollouts/" + rolloutId).then().statusCode(200).extract()
                .path("summary.state");
    }

    private int stepIndex() {
        return guardrail("viewer").get("/rollouts/" + rolloutId).then().extract().path("summary.step_index");
    }

    private VerdictIssued verdict(String id, VerdictKind kind, double share, Instant at, double estimateDrop) {
        return VerdictIssued.newBuilder().setVerdictId(id).setKind(kind).setRolloutId(rolloutId)
                .setEvaluatedAt(ProtoTime.of(at)).setTreatmentShare(share).setReason("test verdict " + id)
                .addEvidence(GuardrailEvidence.newBuilder().setGuardrail("conversion").setMetric("CONVERSION")
                        .setCohort("country=CA & age=18-24").setJudgement(Judgement.JUDGEMENT_INCONCLUSIVE)
                        .setEstimate(-estimateDrop).setHarmLower(estimateDrop - 0.004)
                        .setHarmUpper(estimateDrop + 0.004).setMargin(0.005).setTreatmentExposure(3000)
                        .setControlExposure(27000).setAlpha(0.05))
                .build();
    }

    private void publish(VerdictIssued v) {
        try {
            producer.send(new ProducerRecord<>(EventTopics.VERDICTS, v.getRolloutId(), v.toByteArray())).get();
        } catch (Exception e) {
            fail("cannot publish the verdict: " + e);
        }
    }

    private void drainEvents() {
        for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
            try {
                changes.add(RolloutStateChanged.parseFrom(r.value()));
            } catch (Exception e) {
                fail("not a RolloutStateChanged: " + e);
            }
        }
    }

    private RolloutWatch awaitWatch(java.util.function.Predicate<RolloutWatch> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : watches.poll(Duration.ofMillis(200))) {
                try {
                    watched.add(RolloutWatch.parseFrom(r.value()));
                } catch (Exception e) {
                    fail("not a RolloutWatch: " + e);
                }
            }
            for (int i = watched.size() - 1; i >= 0; i--) {
                RolloutWatch w = watched.get(i);
                if (w.getRolloutId().equals(rolloutId) && wanted.test(w)) {
                    return w;
                }
            }
        }
        fail("no such watch of " + rolloutId + " in " + watched);
        return null;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("not within 45 s: " + what);
    }
}
