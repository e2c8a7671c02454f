package io.vigil.guardrail.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.GuardrailTopology;
import io.vigil.guardrail.aggregation.StreamCounters;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.testing.kafka.KafkaBroker;

/**
 * The guardrail topology on a real broker, with exactly-once processing and RocksDB stores, on topics of 6 partitions:
 * a watched rollout whose treatment converts far worse is rolled back, the verdict carrying CloudEvents headers whose
 * id is the verdict id; two instances with one application id count every decision once and issue each rollout
 * minute's verdict once; and a replay of the same topics by one instance under a new application id issues the very
 * same verdicts, byte for byte. The traffic's event time lies two days ahead of the wall clock, as in a simulated day
 * replayed fast, and its records carry the producer's wall-clock timestamp with the event time in {@code ce_time}, as
 * the suite's producers write them: the topology stamps what it writes in event time, which the broker accepts only
 * on topics set up for it (the Kafka 4 default refuses records more than an hour ahead).
 */
class GuardrailStreamsBrokerTest {

    static final Instant T0 = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    static final int MINUTES = 40;
    static final int PER_MINUTE = 200;
    static final long SETTLE_MINUTES = 10;
    static final String ROLLOUT = "broker-rollout-1";

    static KafkaBroker broker;
    static Path stateRoot;
    /** Per arm (0 control, 1 treatment), decisions per minute bucket, as produced. */
    static final long[][] decisionsPerMinute = new long[2][MINUTES];

    @BeforeAll
    static void startBrokerAndWriteTopics() throws Exception {
        broker = KafkaBroker.start();
        stateRoot = Files.createTempDirectory("guardrail-streams-test-");
        GuardrailTopics.ensure(broker.bootstrapServers(), new GuardrailTopics.Plan(Map.of(
                "decisions", Map.of(), "outcomes", Map.of(),
                "watches", Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)), 6, (short) 1),
                List.of("decisions", "outcomes"), Duration.ofSeconds(20));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("watches", ROLLOUT, watch().toByteArray())).get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoInstancesCountEachDecisionOnceAndAReplayIssuesTheSameVerdicts() throws Exception {
        // Live: two instances of one application, both running before the traffic arrives.
        Run pair = new Run("pair", 2);
        pair.awaitRunning();
        produceTraffic();
        Map<String, ConsumerRecord<String, byte[]>> live = pair.awaitVerdicts();
        List<ConsumerRecord<String, byte[]>> liveAll = pair.allVerdicts;
        pair.close();

        // Replay: one instance, a new application id, the same topics from the start.
        Run single = new Run("replay", 1);
        Map<String, ConsumerRecord<String, byte[]>> replay = single.awaitVerdicts();
        single.close();

        // Each rollout minute's verdict once, however the partitions were shared.
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : liveAll) {
            assertTrue(ids.add(VerdictIssued.parseFrom(r.value()).getVerdictId()), "issued twice: " + r.key());
        }
        // The same verdicts, in the same order, byte for byte.
        assertEquals(List.copyOf(replay.keySet()), List.copyOf(live.keySet()));
        for (String id : live.keySet()) {
            assertEquals(VerdictIssued.parseFrom(replay.get(id).value()), VerdictIssued.parseFrom(live.get(id).value()),
                    id);
        }

        // Every decision counted once: the last verdict's exposure is exactly what was produced into settled minutes.
        VerdictIssued last = VerdictIssued.parseFrom(live.get(finalVerdictId()).value());
        long settledMinutes = MINUTES - 1 - SETTLE_MINUTES;
        long treatment = 0;
        long control = 0;
        for (int m = 0; m < Math.min(settledMinutes, MINUTES); m++) {
            control += decisionsPerMinute[0][m];
            treatment += decisionsPerMinute[1][m];
        }
        GuardrailEvidence decline = last.getEvidenceList().stream().filter(e -> e.getGuardrail().equals("decline"))
                .findFirst().orElseThrow();
        assertEquals(treatment, decline.getTreatmentExposure());
        assertEquals(control, decline.getControlExposure());

        // The clearly worse treatment is rolled back, and the verdict is a proper CloudEvent.
        ConsumerRecord<String, byte[]> rollback = live.values().stream()
                .filter(r -> kind(r) == VerdictKind.VERDICT_KIND_ROLLBACK).findFirst()
                .orElseThrow(() -> new AssertionError("no rollback among " + live.keySet()));
        VerdictIssued v = VerdictIssued.parseFrom(rollback.value());
        assertTrue(v.getReason().startsWith("breached: conversion"), v.getReason());
        assertEquals(Judgement.JUDGEMENT_HARMFUL, v.getEvidence(0).getJudgement());
        assertEquals(ROLLOUT, rollback.key());
        CloudEventHeaders ce = CloudEventHeaders.readFrom(rollback.headers());
        assertEquals(v.getVerdictId(), ce.id());
        assertEquals("vigil.events.v1.VerdictIssued", ce.type());
        assertEquals("//vigil/guardrail-service", ce.source());
        assertEquals(ProtoTime.toInstant(v.getEvaluatedAt()), ce.time());
        assertEquals(CloudEventHeaders.PROTOBUF, ce.contentType());
        assertFalse(live.values().stream().limit(live.size() - 1L)
                .anyMatch(r -> kind(r) == VerdictKind.VERDICT_KIND_PROMOTE_STEP));
        System.out.printf("broker: %d verdicts, first rollback %s, final exposure %d treatment / %d control%n",
                live.size(), v.getVerdictId(), treatment, control);
    }

    private static VerdictKind kind(ConsumerRecord<String, byte[]> r) {
        try {
            return VerdictIssued.parseFrom(r.value()).getKind();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The last evaluation the traffic allows: every partition's watermark reaches the last minute of decisions (its
     * outcomes come later), less the settle delay.
     */
    static String finalVerdictId() {
        return ROLLOUT + "@" + T0.plus(Duration.ofMinutes(MINUTES - 1 - SETTLE_MINUTES)).toEpochMilli();
    }

    static RolloutWatch watch() {
        return RolloutWatch.newBuilder()
                .setRolloutId(ROLLOUT)
                .setTreatmentModelVersion("challenger-v2")
                .setActive(true)
                .addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.5))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("conversion").setMetric("CONVERSION")
                        .setMargin(0.005).setAction("ROLLBACK").setMinimumExposurePerArm(500))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("decline").setMetric("DECLINE_RATE")
                        .setMargin(0.005).setAction("ROLLBACK").setMinimumExposurePerArm(500))
                .setAlpha(0.05)
                .setMinimumStepMillis(Duration.ofMinutes(30).toMillis())
                .setSettleMillis(Duration.ofMinutes(5).toMillis())
                .setPlannedDecisions(10_000)
                .build();
    }

    /**
     * {@value #PER_MINUTE} decisions a minute for {@value #MINUTES} minutes, half on the challenger (conversion 40%)
     * and half on the champion (71%), each order completed two minutes after its decision; written in event-time
     * order with CloudEvents headers, as scoring-service and the checkout would.
     */
    static void produceTraffic() throws Exception {
        SplittableRandom rnd = new SplittableRandom(16);
        TreeMap<Long, List<ProducerRecord<String, byte[]>>> byTime = new TreeMap<>();
        long tx = 0;
        for (int m = 0; m < MINUTES; m++) {
            for (int i = 0; i < PER_MINUTE; i++) {
                String id = "tx-" + tx++;
                Instant at = T0.plus(Duration.ofMinutes(m)).plusMillis(i * 60_000L / PER_MINUTE);
                boolean challenger = rnd.nextBoolean();
                decisionsPerMinute[challenger ? 1 : 0][m]++;
                DecisionMade d = DecisionMade.newBuilder().setDecisionId("d-" + id).setTransactionId(id)
                        .setAccountId("a-" + id).setDecidedAt(ProtoTime.of(at)).setPaymentCreatedAt(ProtoTime.of(at))
                        .setDecision(Decision.DECISION_APPROVE)
                        .setArm(challenger ? Arm.ARM_CHALLENGER : Arm.ARM_CHAMPION)
                        .setModelVersion(challenger ? "challenger-v2" : "champion-v1").setPolicyVersion("p-1")
                        .setAttributes(DecisionAttributes.newBuilder().setCountry("CA")).build();
                add(byTime, "decisions", id, d, at, "scoring-service");
                if (rnd.nextDouble() < (challenger ? 0.40 : 0.71)) {
                    Instant done = at.plusSeconds(120);
                    OutcomeRecorded o = OutcomeRecorded.newBuilder().setOutcomeId("o-" + id).setTransactionId(id)
                            .setAccountId("a-" + id).setOccurredAt(ProtoTime.of(done))
                            .setKind(OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED).setProducer("test").build();
                    add(byTime, "outcomes", id, o, done, "checkout-simulator");
                }
            }
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (List<ProducerRecord<String, byte[]>> records : byTime.values()) {
                for (ProducerRecord<String, byte[]> r : records) {
                    producer.send(r);
                }
            }
            producer.flush();
        }
    }

    private static void add(TreeMap<Long, List<ProducerRecord<String, byte[]>>> byTime, String topic, String key,
            com.google.protobuf.Message payload, Instant at, String service) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, null, key, payload.toByteArray());
        new CloudEventHeaders("ce-" + topic + "-" + key, CloudEventHeaders.sourceOf(service),
                payload.getDescriptorForType().getFullName(), at, CloudEventHeaders.PROTOBUF).writeTo(r.headers());
        byTime.computeIfAbsent(at.toEpochMilli(), t -> new ArrayList<>()).add(r);
    }

    static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Instances of the topology under one application id, their verdicts read back committed-only. */
    static final class Run implements AutoCloseable {
        final String applicationId;
        final String verdictsTopic;
        final List<KafkaStreams> instances = new ArrayList<>();
        final List<StreamCounters> counters = new ArrayList<>();
        final List<ConsumerRecord<String, byte[]>> allVerdicts = new ArrayList<>();

        Run(String applicationId, int instanceCount) throws Exception {
            this.applicationId = applicationId;
            this.verdictsTopic = applicationId + ".verdicts";
            GuardrailTopology.Topics topics = new GuardrailTopology.Topics("decisions", "outcomes",
                    applicationId + ".joined", applicationId + ".unmatched", "watches", applicationId + ".deltas",
                    verdictsTopic);
            Map<String, String> stamped = GuardrailTopics.EVENT_TIME_STAMPED;
            GuardrailTopics.ensure(broker.bootstrapServers(), new GuardrailTopics.Plan(Map.of(topics.joined(),
                    stamped, topics.unmatched(), stamped, topics.deltas(), stamped, verdictsTopic, stamped), 6,
                    (short) 1, applicationId), List.of("decisions", "outcomes", topics.joined()),
                    Duration.ofSeconds(20));
            for (int i = 0; i < instanceCount; i++) {
                StreamCounters c = new StreamCounters();
                Properties p = new Properties();
                p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
                p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
                p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
                p.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId + "-" + i).toString());
                p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
                p.putAll(GuardrailTopics.STREAMS_TOPIC_OVERRIDES);
                KafkaStreams streams = new KafkaStreams(GuardrailTopology.build(topics, new GuardrailTopology.Settings(
                        Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(SETTLE_MINUTES), 6,
                        Duration.ofMinutes(30), Duration.ofMinutes(1)), c,
                        Stores::persistentKeyValueStore), p);
                streams.start();
                instances.add(streams);
                counters.add(c);
            }
        }

        void awaitRunning() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int stable = 0;
            while (stable < 5) {
                stable = instances.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING) ? stable + 1 : 0;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("instances not running: " + instances.stream().map(KafkaStreams::state)
                            .toList());
                }
                Thread.sleep(200);
            }
        }

        /** The verdicts up to the last one the traffic allows, by verdict id in issue order. */
        Map<String, ConsumerRecord<String, byte[]>> awaitVerdicts() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId + "-reader");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Map<String, ConsumerRecord<String, byte[]>> byId = new LinkedHashMap<>();
            String finalId = finalVerdictId();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(verdictsTopic));
                while (!byId.containsKey(finalId)) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(applicationId + ": no verdict " + finalId + " within 120 s; got "
                                + byId.keySet() + "; counters " + counters);
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        allVerdicts.add(r);
                        Header id = r.headers().lastHeader(CloudEventHeaders.H_ID);
                        byId.put(new String(id.value(), StandardCharsets.UTF_8), r);
                    }
                }
                // Anything issued a moment after the final one would be a second verdict for a minute already judged.
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
                    allVerdicts.add(r);
                }
            }
            return byId;
        }

        @Override
        public void close() {
            instances.forEach(s -> s.close(Duration.ofSeconds(30)));
        }
    }
}
