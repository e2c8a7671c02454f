package io.vigil.guardrail.rollout.restart;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

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

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.events.v1.RolloutState;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.rollout.stack.RolloutStack;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.PostgresServer;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.security.TestTokens;

/**
 * guardrail-service restarted in the middle of a rollout (issue #16: "it survives a restart in the middle of a step and
 * resumes where it was"): the service runs as a real process from its built jar, with the real scoring-service (its
 * built jar), a real Kafka broker and PostgreSQL, and is stopped and started again on the same database, broker and
 * state directory: gracefully (SIGTERM) and killed (SIGKILL, nothing flushed). A rollout RUNNING in its second step
 * keeps its step, its step start (the minimum-duration clock the watch gives the stream) and scoring-service's
 * line-up, and carries on with the next verdict; a rollback interrupted in ROLLING_BACK is finished after the restart,
 * whether the dead instance had reached scoring-service or not, and applied once. And a change made while the broker
 * is frozen is answered, waits in the outbox and reaches the topic once the broker is back. Runs in {@code verify}
 * (failsafe), after the jar is built. The methods build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutRestartIT {

    static final String WATCHES = "vigil.guardrail.rollout-watches";
    /** Event time of the verdicts: after the REST-driven start (event time "now"), as live verdicts are. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);

    static final String PLAN = """
            target:
              model_version: tiny-c
              policy_version: p-2
            reason: restart test
            steps:
              - share: 0.10
                minimum_duration: 30m
                minimum_exposure: 2000
              - share: 0.25
                minimum_duration: 1h
                minimum_exposure: 2000
              - share: 0.50
                minimum_duration: 2h
                minimum_exposure: 5000
            guardrails:
              - name: conversion
                metric: CONVERSION
                cohort: country=CA & age=18-24
                margin: 0.5pp
                action: ROLLBACK
            """;

    private KafkaBroker broker;
    private PostgresLocator.Located postgres;
    private TestDatabase guardrailDb;
    private TestDatabase scoringDb;
    private Path stateDir;
    private QuarkusServiceProcess scoring;
    private QuarkusServiceProcess guardrail;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> watches;
    private KafkaConsumer<String, byte[]> events;
    private final List<RolloutWatch> watched = new ArrayList<>();
    private final List<RolloutStateChanged> changes = new ArrayList<>();
    private String rolloutId;
    /** scoring-service's line-up before any rollout (JSON as it serves it). */
    private Map<String, Object> original;

    @BeforeAll
    void start() throws Exception {
        broker = KafkaBroker.start();
        postgres = PostgresLocator.locate(System.getenv(), null, KafkaBroker.freePort());
        guardrailDb = TestDatabase.create(postgres.server(), "vigil_guardrail_restart");
        scoringDb = TestDatabase.create(postgres.server(), "vigil_scoring_restart");
        stateDir = Files.createTempDirectory("guardrail-restart-streams-");
        scoring = QuarkusServiceProcess.start("scoring-service", QuarkusServiceProcess.builtJar("scoring-service"),
                KafkaBroker.freePort(), scoringConfig(), Duration.ofSeconds(120));
        startGuardrail();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        watches = consumer(WATCHES);
        events = consumer(EventTopics.ROLLOUTS);
    }

    private Map<String, String> scoringConfig() {
        return RolloutStack.lineupOnlyScoring(broker.bootstrapServers(), postgres.server(), scoringDb.name());
    }

    /** guardrail-service from its built jar, always on the same database, broker and Kafka Streams state directory. */
    private void startGuardrail() throws IOException, InterruptedException {
        PostgresServer pg = postgres.server();
        Map<String, String> g = new HashMap<>();
        g.put("kafka.bootstrap.servers", broker.bootstrapServers());
        g.put("quarkus.datasource.username", pg.user());
        g.put("quarkus.datasource.password", pg.password());
        g.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(guardrailDb.name()));
        g.put("quarkus.datasource.reactive.url", pg.reactiveUrl(guardrailDb.name()));
        g.put("quarkus.log.console.json.enabled", "false");
        g.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        g.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        g.put("kafka-streams.state.dir", stateDir.toString());
        g.put("quarkus.rest-client.scoring.url", scoring.baseUrl());
        g.put("quarkus.rest-client.scoring.read-timeout", "1500");
        g.put("quarkus.rest-client.scoring.connect-timeout", "1000");
        g.put("guardrail.scoring.token", TestTokens.token("operator", "guardrail-service"));
        g.put("guardrail.scoring.initial-backoff", "100ms");
        g.put("guardrail.scoring.max-backoff", "1s");
        g.put("guardrail.rollouts.resume-every", "1s");
        g.put("guardrail.outbox.relay-every", "1s");
        g.put("guardrail.outbox.send-timeout", "3s");
        // A killed instance's consumers are given up after 6 s (the broker's minimum), not the default 45 s, so the
        // next one gets the verdicts' partitions soon.
        g.put("mp.messaging.incoming.verdicts.session.timeout.ms", "6000");
        g.put("mp.messaging.incoming.verdicts.heartbeat.interval.ms", "1000");
        g.put("kafka-streams.session.timeout.ms", "6000");
        g.put("kafka-streams.heartbeat.interval.ms", "1000");
        guardrail = QuarkusServiceProcess.start("guardrail-service", QuarkusServiceProcess.builtJar("guardrail-service"),
                KafkaBroker.freePort(), g, Duration.ofSeconds(180));
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @AfterAll
    void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {producer, watches, events, guardrail, scoring, guardrailDb,
            scoringDb, postgres, broker}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
        if (stateDir != null) {
            try (Stream<Path> all = Files.walk(stateDir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void aRolloutInItsSecondStepKeepsItsStepItsClockAndTheLineupAcrossAGracefulRestart() throws Exception {
        scoringApi().contentType("application/json").body("{\"version\": \"tiny-c\", \"path\": \"tiny/model.json\"}")
                .post("/models").then().statusCode(201);
        scoringApi().contentType("application/json").body("{\"version\": \"p-2\", \"reason\": \"tighter\", \"rules\": "
                + "[{\"name\": \"default\", \"step_up\": 0.2, \"review\": 0.5, \"decline\": 0.8}]}")
                .post("/policies").then().statusCode(201);
        original = scoringApi().get("/lineup").then().statusCode(200).extract().jsonPath().getMap("");
        rolloutId = create();
        publish(verdict("r-1", VerdictKind.VERDICT_KIND_PROMOTE_STEP, 0.10, T0.plusSeconds(3600)));
        await(() -> "RUNNING".equals(detail().getString("summary.state")) && detail().getInt("summary.step_index") == 1,
                "promoted to the second step");
        RolloutWatch before = awaitWatch(w -> w.getSharesCount() == 2);
        assertEquals(T0.plusSeconds(3600).toEpochMilli(), before.getShares(1).getFromMillis());
        Snapshot mid = snapshot();
        assertEquals(0.25f, mid.lineup().get("challenger_share"));

        guardrail.close(); // SIGTERM: Quarkus shuts down in order
        assertTrue(!alive(guardrail));
        startGuardrail();

        assertStillWhereItWas(mid, before);
        // And it carries on: the next step's verdict promotes it (the stream judged the step from the same start).
        publish(verdict("r-2", VerdictKind.VERDICT_KIND_PROMOTE_STEP, 0.25, T0.plusSeconds(7200)));
        await(() -> detail().getInt("summary.step_index") == 2, "promoted to the third step after the restart");
        scoringApi().get("/lineup").then().body("challenger_share", equalTo(0.50f)).body("policy_version",
                equalTo("p-2"));
        assertEquals(T0.plusSeconds(7200).toEpochMilli(), awaitWatch(w -> w.getSharesCount() == 3).getShares(2)
                .getFromMillis());
    }

    @Test
    @Order(2)
    void aKilledInstanceResumesTheStepAndRollsBackOnTheNextVerdict() throws Exception {
        RolloutWatch before = awaitWatch(w -> w.getSharesCount() == 3);
        Snapshot mid = snapshot();

        kill(guardrail); // SIGKILL: no shutdown hook, no flush, consumers left to time out
        startGuardrail();

        assertStillWhereItWas(mid, before);
        publish(verdict("r-3", VerdictKind.VERDICT_KIND_ROLLBACK, 0.50, T0.plusSeconds(9000)));
        await(() -> "ROLLED_BACK".equals(detail().getString("summary.state")), "rolled back after the restart");
        assertLineupIsTheOriginal();
        awaitChange(RolloutState.ROLLOUT_STATE_ROLLED_BACK);
    }

    @Test
    @Order(3)
    void aRollbackInterruptedBeforeScoringServiceTookItIsFinishedAfterTheRestart() throws Exception {
        rolloutId = create();
        // scoring-service down (not frozen: a frozen server's socket still takes the request and applies it when it
        // thaws, which is the next test's case): every restore attempt is refused.
        int scoringPort = scoring.port();
        scoring.close();
        publish(verdict("k-1", VerdictKind.VERDICT_KIND_ROLLBACK, 0.10, T0.plusSeconds(12_000)));
        await(() -> "ROLLING_BACK".equals(detail().getString("summary.state")), "rolling back");
        kill(guardrail); // mid-restore: the restore retrying against a scoring-service that is not there
        scoring = QuarkusServiceProcess.start("scoring-service", QuarkusServiceProcess.builtJar("scoring-service"),
                scoringPort, scoringConfig(), Duration.ofSeconds(120));
        // Nothing reached scoring-service: the challenger is still served.
        scoringApi().get("/lineup").then().body("challenger_model_version", equalTo("tiny-c"));
        startGuardrail();

        await(() -> "ROLLED_BACK".equals(detail().getString("summary.state")), "restored by the restarted instance");
        assertLineupIsTheOriginal();
        assertEquals(1, audit("restored"), "restored once");
        assertEquals(1, audit("rollback"), "the rollback decided once");
    }

    @Test
    @Order(4)
    void aRollbackTheKilledInstanceAppliedButDidNotRecordIsRecordedWithoutChangingTheLineupAgain() throws Exception {
        rolloutId = create();
        signalScoring("STOP");
        try {
            publish(verdict("k-2", VerdictKind.VERDICT_KIND_ROLLBACK, 0.10, T0.plusSeconds(15_000)));
            await(() -> "ROLLING_BACK".equals(detail().getString("summary.state")), "rolling back");
            kill(guardrail);
        } finally {
            signalScoring("CONT");
        }
        // What the dead instance's PUT /lineup would have done just before it died: the previous line-up restored.
        Map<String, Object> restore = new HashMap<>();
        for (String k : List.of("champion_model_version", "challenger_model_version", "challenger_share",
                "shadow_model_versions", "policy_version")) {
            restore.put(k, original.get(k));
        }
        restore.put("reason", "restore the line-up before rollout " + rolloutId);
        scoringApi().contentType("application/json").body(restore).put("/lineup").then().statusCode(200);
        String revision = scoringApi().get("/lineup").then().extract().path("revision");
        startGuardrail();

        await(() -> "ROLLED_BACK".equals(detail().getString("summary.state")), "recorded by the restarted instance");
        assertLineupIsTheOriginal();
        scoringApi().get("/lineup").then().body("revision", equalTo(revision));
        assertEquals(1, audit("restored"), "recorded once");
    }

    @Test
    @Order(5)
    void aChangeMadeWhileKafkaIsFrozenReachesTheTopicOnceItIsBack() throws Exception {
        rolloutId = create();
        awaitChange(RolloutState.ROLLOUT_STATE_RUNNING);
        broker.pause(); // SIGSTOP: connections stay open, nothing is acknowledged
        try {
            // The change commits (state and outbox row together) and is answered; its event cannot be sent.
            guardrail("operator").contentType("application/json").body("{\"reason\": \"kafka frozen\"}")
                    .post("/rollouts/" + rolloutId + "/pause").then().statusCode(200)
                    .body("summary.state", equalTo("PAUSED"));
            await(() -> metric("vigil_guardrail_outbox_failing") >= 1, "the send failed, the event still pending");
            assertTrue(metric("vigil_guardrail_outbox_pending") >= 1);
            assertTrue(metric("vigil_guardrail_outbox_send_failures_total") >= 1);
        } finally {
            broker.resume();
        }
        awaitChange(RolloutState.ROLLOUT_STATE_PAUSED);
        await(() -> metric("vigil_guardrail_outbox_pending") == 0, "the outbox emptied");
        // At least once: the producer may deliver its timed-out send too, but every copy carries the id it was
        // written with, so a consumer de-duplicating on ce_id sees one pause.
        List<String> ids = changeIds.stream().filter(c -> c.rollout().equals(rolloutId)
                && c.state() == RolloutState.ROLLOUT_STATE_PAUSED).map(ChangeId::ceId).distinct().toList();
        assertEquals(1, ids.size(), ids.toString());
        assertEquals(ids.get(0), changes.stream().filter(c -> c.getRolloutId().equals(rolloutId)
                && c.getState() == RolloutState.ROLLOUT_STATE_PAUSED).findFirst().orElseThrow().getEventId());
        detail(); // still answering
    }

    // ---- checks

    private record Snapshot(JsonPath rollout, Map<String, Object> lineup) {
    }

    private Snapshot snapshot() {
        return new Snapshot(detail(), scoringApi().get("/lineup").then().extract().jsonPath().getMap(""));
    }

    /** Same state, step, step starts, audit and verdicts; the same line-up in scoring-service; the same watch again. */
    private void assertStillWhereItWas(Snapshot mid, RolloutWatch before) {
        JsonPath now = detail();
        assertEquals(mid.rollout().getString("summary.state"), now.getString("summary.state"));
        assertEquals(mid.rollout().getInt("summary.step_index"), now.getInt("summary.step_index"));
        assertEquals(mid.rollout().getList("steps.started_at"), now.getList("steps.started_at"),
                "the steps' starts (the minimum-duration clock) are those before the restart");
        assertEquals(mid.rollout().getList("audit.id"), now.getList("audit.id"), "the restart changed nothing");
        assertEquals(mid.lineup(), scoringApi().get("/lineup").then().extract().jsonPath().getMap(""),
                "scoring-service's line-up (and its revision) untouched");
        // The restarted instance published the watch again: the same shares from the same event times.
        int seen = watched.size();
        RolloutWatch again = awaitWatchAfter(seen, w -> true);
        assertEquals(before.getSharesList(), again.getSharesList());
        assertEquals(before.getMinimumStepMillis(), again.getMinimumStepMillis());
        assertEquals(before, again);
        OffsetDateTime stepStart = OffsetDateTime.parse(now.getString("steps[" + now.getInt("summary.step_index")
                + "].started_at"));
        assertEquals(stepStart.toInstant().toEpochMilli(), again.getShares(again.getSharesCount() - 1).getFromMillis());
    }

    private void assertLineupIsTheOriginal() {
        Map<String, Object> now = scoringApi().get("/lineup").then().extract().jsonPath().getMap("");
        for (String k : List.of("champion_model_version", "challenger_model_version", "challenger_share",
                "shadow_model_versions", "policy_version")) {
            assertEquals(original.get(k), now.get(k), k);
        }
    }

    private long audit(String action) {
        return detail().getList("audit.action", String.class).stream().filter(action::equals).count();
    }

    // ---- helpers

    private String create() {
        return guardrail("operator").contentType("application/yaml").body(PLAN.getBytes(StandardCharsets.UTF_8))
                .post("/rollouts").then().statusCode(201).body("summary.state", equalTo("RUNNING"))
                .extract().path("summary.id");
    }

    private RequestSpecification guardrail(String role) {
        return given().baseUri(guardrail.baseUrl()).header("Authorization",
                TestTokens.bearer(role, role + "-person@example"));
    }

    private RequestSpecification scoringApi() {
        return given().baseUri(scoring.baseUrl()).header("Authorization", TestTokens.bearer("operator", "setup"));
    }

    private JsonPath detail() {
        return guardrail("viewer").get("/rollouts/" + rolloutId).then().statusCode(200).extract().jsonPath();
    }

    private static boolean alive(QuarkusServiceProcess p) {
        return ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void kill(QuarkusServiceProcess p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        ProcessHandle.of(p.pid()).ifPresent(h -> h.onExit().join());
        p.close();
    }

    private void signalScoring(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(scoring.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private VerdictIssued verdict(String id, VerdictKind kind, double share, Instant at) {
        return VerdictIssued.newBuilder().setVerdictId(rolloutId + "/" + id).setKind(kind).setRolloutId(rolloutId)
                .setEvaluatedAt(ProtoTime.of(at)).setTreatmentShare(share).setReason("test verdict " + id).build();
    }

    private void publish(VerdictIssued v) {
        try {
            producer.send(new ProducerRecord<>(EventTopics.VERDICTS, v.getRolloutId(), v.toByteArray())).get();
        } catch (Exception e) {
            fail("cannot publish the verdict: " + e);
        }
    }

    private RolloutWatch awaitWatch(Predicate<RolloutWatch> wanted) {
        return awaitWatchAfter(0, wanted);
    }

    /** The newest watch of the rollout among those received after the first {@code skip}, once one matches. */
    private RolloutWatch awaitWatchAfter(int skip, Predicate<RolloutWatch> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : watches.poll(Duration.ofMillis(200))) {
                try {
                    watched.add(RolloutWatch.parseFrom(r.value()));
                } catch (Exception e) {
                    fail("not a RolloutWatch: " + e);
                }
            }
            for (int i = watched.size() - 1; i >= skip; i--) {
                RolloutWatch w = watched.get(i);
                if (w.getRolloutId().equals(rolloutId) && wanted.test(w)) {
                    return w;
                }
            }
        }
        fail("no such watch of " + rolloutId + " after " + skip + " in " + watched);
        return null;
    }

    private record ChangeId(String rollout, RolloutState state, String ceId) {
    }

    private final List<ChangeId> changeIds = new ArrayList<>();

    private double metric(String name) {
        String metrics = given().baseUri(guardrail.baseUrl()).get("/q/metrics").then().extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    private void awaitChange(RolloutState state) {
        await(() -> {
            for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                try {
                    RolloutStateChanged c = RolloutStateChanged.parseFrom(r.value());
                    changes.add(c);
                    changeIds.add(new ChangeId(c.getRolloutId(), c.getState(),
                            CloudEventHeaders.readFrom(r.headers()).id()));
                } catch (Exception e) {
                    fail("not a RolloutStateChanged: " + e);
                }
            }
            return changes.stream().anyMatch(c -> c.getRolloutId().equals(rolloutId) && c.getState() == state);
        }, "RolloutStateChanged " + state);
    }

    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (AssertionError | RuntimeException notYet) {
                // e.g. the service between two answers; keep polling until the deadline
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("not within 90 s: " + what + "; guardrail-service log " + guardrail.log() + ":\n" + guardrail.tail(40));
    }
}
