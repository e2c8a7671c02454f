package io.vigil.guardrail.rollout.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.RolloutState;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.rollout.state.RolloutService;
import io.vigil.guardrail.rollout.store.OutboxEvent;
import io.vigil.guardrail.rollout.store.Rollout;
import io.vigil.guardrail.rollout.store.RolloutStep;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.quarkus.VigilInfrastructure;

/**
 * The rollout outbox against a real PostgreSQL and a real Kafka broker. Rows written in a transaction that rolls back
 * do not exist; rows whose send fails (a real producer whose broker is unreachable) stay pending with the failure and a
 * backed-off retry time, hold back the later rows of their rollout, and are sent by a later pass with the ids they
 * were written with, in write order; two relays at once send each row once; an operator's change reaches the topic
 * through the service's own relay. Relays with fixed clocks stand in for passes at chosen times; rows they work on are
 * parked ahead of the wall clock so the service's own relay leaves them alone.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_guardrail"))
class RolloutOutboxTest {

    static final String WATCHES = "vigil.guardrail.rollout-watches";

    @Inject
    RolloutOutbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    OutboxPublisher kafka;
    @Inject
    OutboxConfig config;
    @Inject
    ReactiveTransactions transactions;
    @Inject
    RolloutService rollouts;
    @Inject
    MeterRegistry registry;

    KafkaBroker broker;
    TestDatabase database;

    @Test
    void shouldSendLaterWhatWasWrittenWhileKafkaWasUnreachableWithTheSameIdsInWriteOrder() throws Exception {
        String rollout = "ro-outbox-" + UUID.randomUUID();
        Instant at = Instant.parse("2031-07-10T09:30:00Z");
        RolloutStateChanged paused = change(rollout, RolloutState.ROLLOUT_STATE_PAUSED, at);
        RolloutStateChanged rollingBack = change(rollout, RolloutState.ROLLOUT_STATE_ROLLING_BACK, at.plusSeconds(60));
        RolloutWatch watch = RolloutWatch.newBuilder().setRolloutId(rollout).setActive(false).build();
        Instant parked = Instant.now().plus(Duration.ofMinutes(1));
        park(List.of(paused, rollingBack), watch, parked);
        List<Map<String, Object>> rows = rows(rollout);
        assertEquals(List.of("STATE_CHANGED", "STATE_CHANGED", "WATCH"), rows.stream().map(r -> r.get("kind")).toList(),
                "written in order: the state changes, then the watch");

        // A pass two minutes from now (the rows are due) whose broker is unreachable.
        Instant firstPass = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.MILLIS);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (UnreachableBrokerPublisher unreachable = new UnreachableBrokerPublisher()) {
            OutboxRelay failing = new OutboxRelay(unreachable, Clock.fixed(firstPass, ZoneOffset.UTC), config,
                    transactions, meters);
            OutboxRelay.Pass pass = failing.relay().await().indefinitely();
            // The first state change and the watch were tried and failed; the second state change waits behind the
            // first (same rollout, same topic), untried. (The pass may also have met other tests' rows.)
            assertTrue(pass.failed() >= 2 && pass.heldBack() >= 1, pass.toString());
        }
        rows = rows(rollout);
        assertEquals(List.of("PENDING", "PENDING", "PENDING"), rows.stream().map(r -> r.get("status")).toList());
        assertEquals(List.of(1, 0, 1), rows.stream().map(r -> r.get("attempts")).toList());
        assertTrue(String.valueOf(rows.get(0).get("last_error")).startsWith("TimeoutException"), rows.toString());
        assertNull(rows.get(1).get("last_error"));
        // The first failure backs off by the initial backoff (1 s) from the pass that failed; the held-back row is due
        // at once but waits behind the first.
        Timestamp retryAt = Timestamp.from(firstPass.plus(config.initialBackoff()));
        assertEquals(List.of(retryAt, Timestamp.from(firstPass), retryAt),
                rows.stream().map(r -> r.get("next_attempt_at")).toList());
        assertEquals(2.0, meters.get("vigil.guardrail.outbox.send.failures").counter().count());
        assertTrue(meters.get("vigil.guardrail.outbox.failing").gauge().value() >= 2.0);
        assertTrue(meters.get("vigil.guardrail.outbox.pending").gauge().value() >= 3.0);

        // Before the backoff has passed nothing is due: the held-back row does not overtake the failed one.
        OutboxRelay early = new OutboxRelay(kafka, Clock.fixed(firstPass.plusMillis(500), ZoneOffset.UTC), config,
                transactions, new SimpleMeterRegistry());
        early.relay().await().indefinitely();
        assertEquals(List.of("PENDING", "PENDING", "PENDING"), rows(rollout).stream().map(r -> r.get("status")).toList());

        // The next pass, once the backoff has passed, with the real broker: everything, in write order.
        Instant secondPass = firstPass.plus(config.initialBackoff());
        OutboxRelay next = new OutboxRelay(kafka, Clock.fixed(secondPass, ZoneOffset.UTC), config, transactions,
                new SimpleMeterRegistry());
        OutboxRelay.Pass sent = next.relay().await().indefinitely();
        assertTrue(sent.sent() >= 3, sent.toString());
        rows = rows(rollout);
        assertEquals(List.of("SENT", "SENT", "SENT"), rows.stream().map(r -> r.get("status")).toList());
        assertEquals(List.of(2, 1, 2), rows.stream().map(r -> r.get("attempts")).toList());
        assertNull(rows.get(0).get("last_error"));

        List<ConsumerRecord<String, byte[]>> events = await(EventTopics.ROLLOUTS, rollout, 2);
        assertEquals(List.of(paused, rollingBack), parse(events), "each once, in write order");
        for (int i = 0; i < 2; i++) {
            CloudEventHeaders h = CloudEventHeaders.readFrom(events.get(i).headers());
            assertEquals(List.of(paused, rollingBack).get(i).getEventId(), h.id(),
                    "ce_id is the id the event was written with");
            assertEquals("vigil.events.v1.RolloutStateChanged", h.type());
            assertEquals("//vigil/guardrail-service", h.source());
            assertEquals(List.of(at, at.plusSeconds(60)).get(i), h.time());
        }
        List<ConsumerRecord<String, byte[]>> watches = await(WATCHES, rollout, 1);
        assertEquals(watch, RolloutWatch.parseFrom(watches.get(0).value()));
    }

    @Test
    void shouldWriteNothingWhenTheChangesTransactionRollsBack() {
        String rollout = "ro-outbox-" + UUID.randomUUID();
        RolloutStateChanged e = change(rollout, RolloutState.ROLLOUT_STATE_PAUSED, Instant.parse("2031-07-10T09:30:00Z"));
        // Written and flushed, then the change fails before its commit.
        assertThrows(IllegalStateException.class, () -> transactions.inTransaction(() -> outbox.enqueue(List.of(e), null)
                .chain(() -> Panache.getSession().chain(s -> s.flush()))
                .chain(() -> Uni.createFrom().<Void>failure(new IllegalStateException("the change failed"))))
                .await().indefinitely());
        assertEquals(List.of(), rows(rollout));
    }

    @Test
    void shouldSendEachEventOnceWhenTwoRelaysRunAtOnce() throws Exception {
        String prefix = "ro-outbox-pair-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Instant at = Instant.parse("2031-07-11T00:00:00Z");
        Instant parked = Instant.now().plus(Duration.ofMinutes(1));
        Map<String, List<RolloutStateChanged>> written = new HashMap<>();
        for (int r = 0; r < 5; r++) {
            List<RolloutStateChanged> events = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                events.add(change(prefix + r, RolloutState.ROLLOUT_STATE_RUNNING, at.plusSeconds(60L * i)));
            }
            written.put(prefix + r, events);
            park(events, null, parked);
        }
        Instant pass = Instant.now().plus(Duration.ofMinutes(2));
        OutboxRelay a = new OutboxRelay(kafka, Clock.fixed(pass, ZoneOffset.UTC), config, transactions,
                new SimpleMeterRegistry());
        OutboxRelay b = new OutboxRelay(kafka, Clock.fixed(pass, ZoneOffset.UTC), config, transactions,
                new SimpleMeterRegistry());
        CompletableFuture<OutboxRelay.Pass> first = a.relay().subscribeAsCompletionStage();
        CompletableFuture<OutboxRelay.Pass> second = b.relay().subscribeAsCompletionStage();
        OutboxRelay.Pass one = first.get();
        OutboxRelay.Pass two = second.get();
        assertEquals(0, one.failed() + two.failed());
        for (Map.Entry<String, List<RolloutStateChanged>> e : written.entrySet()) {
            assertEquals(e.getValue(), parse(await(EventTopics.ROLLOUTS, e.getKey(), 6)),
                    "each of " + e.getKey() + "'s events once, in write order");
            assertEquals(List.of("SENT"), rows(e.getKey()).stream().map(r -> r.get("status")).distinct().toList());
        }
    }

    @Test
    void shouldPublishAnOperatorsChangeThroughTheServicesOwnRelay() throws Exception {
        String rollout = "ro-outbox-" + UUID.randomUUID().toString().substring(0, 8);
        transactions.inTransaction(() -> runningRollout(rollout)).await().indefinitely();

        transactions.inSession(() -> rollouts.pause(rollout, "olga@ops.example", "incident 42")).await().indefinitely();

        List<RolloutStateChanged> events = parse(await(EventTopics.ROLLOUTS, rollout, 1));
        assertEquals(RolloutState.ROLLOUT_STATE_PAUSED, events.get(0).getState());
        assertEquals(RolloutState.ROLLOUT_STATE_RUNNING, events.get(0).getPreviousState());
        assertEquals("olga@ops.example", events.get(0).getActor());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"SENT".equals(rows(rollout).get(0).get("status")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals("SENT", rows(rollout).get(0).get("status"));
        assertTrue(registry.get("vigil.guardrail.outbox.sent").counter().count() >= 1);
    }

    @Test
    void shouldBackOffExponentiallyUpToTheCap() {
        // 1 s doubling, capped at 1 min: 1, 2, 4, 8, 16, 32, then 60.
        OutboxRelay r = new OutboxRelay(kafka, Clock.systemUTC(), config, transactions, new SimpleMeterRegistry());
        List<Long> seconds = List.of(1, 2, 3, 4, 5, 6, 7, 20).stream().map(n -> r.backoff(n).toSeconds()).toList();
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), seconds);
    }

    // ---- helpers

    private static RolloutStateChanged change(String rollout, RolloutState state, Instant at) {
        return RolloutStateChanged.newBuilder().setEventId(UUID.randomUUID().toString()).setRolloutId(rollout)
                .setState(state).setChangedAt(ProtoTime.of(at)).setActor("guardrail-service")
                .setReason("outbox test").build();
    }

    /** Written in one transaction and parked until {@code until}, so only the test's relays take them. */
    private void park(List<RolloutStateChanged> events, RolloutWatch watch, Instant until) {
        String key = events.isEmpty() ? watch.getRolloutId() : events.get(0).getRolloutId();
        transactions.inTransaction(() -> outbox.enqueue(events, watch)
                .chain(() -> Panache.getSession().chain(s -> s.flush()))
                .chain(() -> OutboxEvent.<OutboxEvent>list("eventKey", key))
                .invoke(rows -> rows.forEach(r -> r.nextAttemptAt = until))).await().indefinitely();
    }

    private Uni<Void> runningRollout(String id) {
        Rollout r = new Rollout();
        r.id = id;
        r.modelVersion = "challenger-" + id;
        r.state = io.vigil.guardrail.rollout.state.RolloutState.RUNNING;
        r.alpha = 0.05;
        r.plan = "{\"target\": {\"model_version\": \"challenger-" + id + "\"}, \"steps\": [{\"share\": 0.1, "
                + "\"minimum_duration\": \"30m\", \"minimum_exposure\": 2000}], \"guardrails\": [{\"name\": \"c\", "
                + "\"metric\": \"CONVERSION\", \"margin\": \"0.5pp\"}]}";
        r.lineupBefore = null;
        r.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        r.createdBy = "test";
        r.updatedAt = r.createdAt;
        RolloutStep s = new RolloutStep();
        s.rolloutId = id;
        s.stepIndex = 0;
        s.share = 0.1;
        s.minimumDurationMs = Duration.ofMinutes(30).toMillis();
        s.minimumExposure = 2000;
        s.signOff = "";
        s.startedAt = r.createdAt;
        return r.persist().chain(() -> s.persist()).replaceWithVoid();
    }

    private List<Map<String, Object>> rows(String key) {
        try (Connection c = database.server().connect(database.name());
                PreparedStatement s = c.prepareStatement("SELECT kind, status, attempts, last_error, next_attempt_at,"
                        + " sent_at FROM rollout_outbox WHERE event_key = ? ORDER BY seq")) {
            s.setString(1, key);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The records of one key on a topic, from the start, once at least {@code count} arrived (and a little after). */
    private List<ConsumerRecord<String, byte[]>> await(String topic, String key, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                }
                if (found.size() >= count && settleUntil == Long.MAX_VALUE) {
                    // a duplicate would arrive with the rest: read on for a moment
                    settleUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return found;
    }

    private static List<RolloutStateChanged> parse(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> {
            try {
                return RolloutStateChanged.parseFrom(r.value());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
