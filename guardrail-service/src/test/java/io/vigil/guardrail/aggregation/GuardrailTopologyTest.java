package io.vigil.guardrail.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.DecisionTimings;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.guardrail.evaluation.LabelMaturity;

/**
 * The whole streaming half, decisions and outcomes in, verdicts out, with event time under the test's control: seed
 * 001's launch (the challenger's conversion 69.6% against 71.0%, 10% for an hour, then 50%) must end in a ROLLBACK
 * issued by the conversion guardrail, and the same input must give the same verdicts.
 */
class GuardrailTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    static final GuardrailTopology.Topics TOPICS = new GuardrailTopology.Topics("decisions", "outcomes", "joined",
            "unmatched", "rollouts", "deltas", "verdicts");

    @Test
    void seedOnesLaunchIsRolledBackByTheConversionGuardrail() throws Exception {
        Run run = new Run();
        run.watch(seedOneWatch("launch-1"));
        List<VerdictIssued> verdicts = run.simulate(new SplittableRandom(1), 1_250, 0.696, 0.710, 360);
        run.close();
        VerdictIssued rollback = verdicts.stream().filter(v -> v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK)
                .findFirst().orElseThrow(() -> new AssertionError("no rollback in " + verdicts.size() + " verdicts"));
        assertTrue(rollback.getReason().startsWith("breached: conversion"), rollback.getReason());
        GuardrailEvidence conversion = rollback.getEvidence(0);
        assertEquals(Judgement.JUDGEMENT_HARMFUL, conversion.getJudgement());
        // What incident-service names the rollback after: the harmful guardrail whose action is rollback.
        assertEquals(io.vigil.contracts.events.v1.BreachAction.BREACH_ACTION_ROLLBACK, conversion.getAction());
        assertTrue(rollback.getReason().matches("breached: conversion \\(harm \\[[0-9.e-]+, [0-9.e-]+\\], margin 0\\.005\\).*"),
                "the interval quoted to four significant digits: " + rollback.getReason());
        assertTrue(conversion.getHarmLower() > 0.005, "harm beyond the 0.5 pp margin: " + conversion);
        assertTrue(conversion.getEstimate() < 0, "the challenger converts less: " + conversion.getEstimate());
        long minutes = Duration.between(T0, ProtoTime.toInstant(rollback.getEvaluatedAt())).toMinutes();
        System.out.printf("topology: seed 001 rolled back at minute %d (share %.2f), %d verdicts before%n", minutes,
                rollback.getTreatmentShare(), verdicts.indexOf(rollback));
        assertTrue(verdicts.subList(0, verdicts.indexOf(rollback)).stream()
                .noneMatch(v -> v.getKind() == VerdictKind.VERDICT_KIND_PROMOTE_STEP), "promoted a harmful challenger");
    }

    @Test
    void equalArmsAreNotRolledBackAndACohortWithNoTrafficHolds() throws Exception {
        Run run = new Run();
        run.watch(seedOneWatch("aa-1").toBuilder()
                .addGuardrails(WatchedGuardrail.newBuilder().setName("conversion ZZ").setMetric("CONVERSION")
                        .setCohort("country=ZZ").setMargin(0.005).setAction("ROLLBACK")
                        .setMinimumExposurePerArm(1_000))
                .build());
        List<VerdictIssued> verdicts = run.simulate(new SplittableRandom(2), 600, 0.710, 0.710, 120);
        run.close();
        assertFalse(verdicts.isEmpty());
        assertTrue(verdicts.stream().noneMatch(v -> v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK));
        VerdictIssued last = verdicts.get(verdicts.size() - 1);
        assertEquals(VerdictKind.VERDICT_KIND_HOLD, last.getKind());
        assertTrue(last.getReason().contains("conversion ZZ (exposure 0 (treatment) and 0 (control)"),
                last.getReason());
    }

    @Test
    void theSameTopicsGiveTheSameVerdicts() throws Exception {
        List<byte[]> first = replay();
        List<byte[]> second = replay();
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "verdict " + i);
        }
    }

    @Test
    void aWatchThatCannotBeReadIsCountedAndIssuesNothing() throws Exception {
        Run run = new Run();
        run.watch(seedOneWatch("bad-1").toBuilder().setGuardrails(0,
                WatchedGuardrail.newBuilder().setName("x").setMetric("CONVERSION").setCohort("countri=CA")
                        .setAction("ROLLBACK").setMinimumExposurePerArm(10)).build());
        List<VerdictIssued> verdicts = run.simulate(new SplittableRandom(3), 100, 0.7, 0.7, 20);
        run.close();
        assertTrue(verdicts.isEmpty());
        assertEquals(1, run.counters.invalidWatches().get());
    }

    @Test
    void aCanaryWhoseP99IsTwentyMillisecondsWorseIsRolledBackByTheLatencyGuardrail() throws Exception {
        Run run = new Run();
        run.watch(latencyWatch("latency-1"));
        // Champion: 10.0, 10.2, ... 29.8 ms over and over (p99 29.6 ms); the canary 20 ms slower on every call.
        List<VerdictIssued> verdicts = run.latencies(200, 60, 20_000);
        run.close();
        VerdictIssued rollback = verdicts.stream().filter(v -> v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK)
                .findFirst().orElseThrow(() -> new AssertionError("no rollback in " + verdicts));
        assertTrue(rollback.getReason().startsWith("breached: p99 latency"), rollback.getReason());
        GuardrailEvidence latency = rollback.getEvidence(0);
        assertEquals("SCORE_P99_LATENCY", latency.getMetric());
        assertEquals(Judgement.JUDGEMENT_HARMFUL, latency.getJudgement());
        // p99 49.6 against 29.6 ms, read from 2-significant-digit buckets (within 1%: 0.5 ms at 50 ms).
        assertEquals(20.0, latency.getEstimate(), 0.5);
        assertTrue(latency.getHarmLower() > 5, "harm beyond the 5 ms margin: " + latency);
        assertFalse(latency.hasLabelMaturity());
        long minutes = Duration.between(T0, ProtoTime.toInstant(rollback.getEvaluatedAt())).toMinutes();
        System.out.printf("topology: p99 +20 ms rolled back at minute %d with %d + %d decisions%n", minutes,
                latency.getTreatmentExposure(), latency.getControlExposure());
    }

    @Test
    void equalLatenciesAreNotRolledBack() throws Exception {
        Run run = new Run();
        run.watch(latencyWatch("latency-2"));
        List<VerdictIssued> verdicts = run.latencies(200, 60, 0);
        run.close();
        assertFalse(verdicts.isEmpty());
        assertTrue(verdicts.stream().noneMatch(v -> v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK), "" + verdicts);
        GuardrailEvidence last = verdicts.get(verdicts.size() - 1).getEvidence(0);
        assertTrue(Math.abs(last.getEstimate()) <= 0.3, "equal p99s: " + last);
        assertTrue(last.getHarmLower() <= 5, "" + last);
        assertTrue(last.getTreatmentExposure() > 4_000 && last.getControlExposure() > 4_000, "" + last);
    }

    @Test
    void incorrectApprovalsHoldWhileTheirLabelsAreNotMatureAndAreJudgedOnMatureVintagesAfter() throws Exception {
        // Labels: half in by 10 minutes, 90% by 30, all by an hour; a vintage is judged from 90%.
        LabelMaturity labels = LabelMaturity.parse("PT10M=0.5,PT30M=0.9,PT1H=1", 0.9);
        Run run = new Run(labels);
        run.watch(RolloutWatch.newBuilder().setRolloutId("labels-1").setTreatmentModelVersion("challenger-v2")
                .setActive(true).addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.5))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("incorrect approvals")
                        .setMetric("INCORRECT_APPROVAL_RATE").setMargin(0.01).setAction("ROLLBACK")
                        .setMinimumExposurePerArm(1_000))
                .setAlpha(0.05).setPlannedDecisions(10_000).build());
        // 100 approvals a minute, alternately on each arm; no fraud reported.
        List<VerdictIssued> verdicts = run.alternating(100, 92);
        run.close();

        // Judged at minute 20: 20 vintages aged 0..19 minutes expect (0.05 x (0+..+10) + 9 x 0.5 + 0.02 x (1+..+9))
        // / 20 = (2.75 + 5.4) / 20 = 40.75% of their labels; none has 90%.
        VerdictIssued early = at(verdicts, 20);
        assertEquals(VerdictKind.VERDICT_KIND_HOLD, early.getKind());
        assertTrue(early.getReason().contains("incorrect approvals (labels not mature: 40."), early.getReason());
        assertTrue(early.getReason().contains("% of the fraud labels expected so far; approvals in vintages with at least 90% of their labels in: exposure 0 (treatment) "
                + "and 0 (control) of the 1000 per arm needed)"), early.getReason());
        assertEquals(0.4075, early.getEvidence(0).getLabelMaturity(), 1e-12);
        assertEquals(Judgement.JUDGEMENT_INCONCLUSIVE, early.getEvidence(0).getJudgement());

        // Judged at minute 90: the 60 vintages aged 30..89 minutes are mature, 3,000 approvals per arm; all 90
        // expect (2.75 + 14.2 + 28.55 + 29) / 90 = 82.78% of their labels.
        VerdictIssued late = at(verdicts, 90);
        GuardrailEvidence e = late.getEvidence(0);
        assertEquals(3_000, e.getTreatmentExposure());
        assertEquals(3_000, e.getControlExposure());
        assertEquals(74.5 / 90, e.getLabelMaturity(), 1e-12);
        assertEquals(Judgement.JUDGEMENT_NON_INFERIOR, e.getJudgement());
        assertEquals(VerdictKind.VERDICT_KIND_PROMOTE_STEP, late.getKind());
    }

    @Test
    void aFinishedRolloutsBucketsAndWatermarksAreDropped() throws Exception {
        Run run = new Run();
        RolloutWatch w = seedOneWatch("finished-1");
        run.watch(w);
        run.simulate(new SplittableRandom(5), 100, 0.7, 0.7, 20);
        KeyValueStore<String, Object> buckets = run.driver.getKeyValueStore(GuardrailTopology.BUCKETS_STORE);
        assertTrue(count(buckets, "finished-1|") >= 10, "buckets before the end");
        // The rollout ends (the rollout service writes its watch inactive); the next minute of stream time drops it.
        run.rollouts.pipeInput(w.getRolloutId(), w.toBuilder().setActive(false).build().toByteArray(),
                T0.plus(Duration.ofMinutes(20)));
        run.simulate(new SplittableRandom(6), 100, 0.7, 0.7, 3, 20);
        run.driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertEquals(0, count(buckets, "finished-1|"));
        WriteBehindStore<?> open = (WriteBehindStore<?>) run.driver.getStateStore(GuardrailTopology.OPEN_COUNTS_STORE);
        try (KeyValueIterator<String, ?> it = open.all()) {
            assertFalse(it.hasNext(), "open counts left after the end");
        }
        assertEquals(0, count(run.driver.getKeyValueStore(GuardrailTopology.WATERMARKS_STORE), "finished-1|"));
        assertEquals(null, run.driver.getKeyValueStore(GuardrailTopology.EVALUATED_STORE).get("finished-1"));
        assertEquals(1, run.counters.rolloutsDropped().get());
        run.close();
    }

    /**
     * The evaluator keeps a running fold of each rollout's settled minutes; a decision that reaches a minute already
     * folded (late) must count in the next verdicts exactly as if it had come in time: the last verdict of a run where
     * it came 35 minutes late equals, byte for byte, that of a run where it came in its minute.
     */
    @Test
    void aDecisionThatReachesAMinuteAlreadyJudgedCountsInTheNextVerdictsAsIfItHadComeInTime() throws Exception {
        Run inTime = new Run();
        VerdictIssued expected = lastVerdictWithOneExtraDecision(inTime, false);
        Run late = new Run();
        VerdictIssued actual = lastVerdictWithOneExtraDecision(late, true);
        assertEquals(0, inTime.counters.lateDeltas().get());
        assertTrue(late.counters.lateDeltas().get() >= 1, "the extra decision came late");
        assertEquals(expected.getVerdictId(), actual.getVerdictId());
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
        // The extra decision is in: 40 settled minutes of 50 a minute on each arm, plus one on the challenger.
        long settled = (ProtoTime.toInstant(actual.getEvaluatedAt()).toEpochMilli() - T0.toEpochMilli()) / 60_000;
        assertEquals(settled * 50 + 1, actual.getEvidence(1).getTreatmentExposure());
        assertEquals(settled * 50, actual.getEvidence(1).getControlExposure());
    }

    /** 100 approvals a minute alternating the arms for 45 minutes, and one more on the challenger at minute 5. */
    private static VerdictIssued lastVerdictWithOneExtraDecision(Run run, boolean late) throws Exception {
        run.watch(seedOneWatch("late-1"));
        Instant extraAt = T0.plus(Duration.ofMinutes(5)).plusSeconds(30);
        List<VerdictIssued> out = new ArrayList<>();
        for (int m = 0; m < 45; m++) {
            Instant minute = T0.plus(Duration.ofMinutes(m));
            for (int i = 0; i < 100; i++) {
                String id = "tx-" + m + "-" + i;
                Instant at = minute.plusMillis(i * 600L);
                run.decisions.pipeInput(id, Run.decision(id, i % 2 == 0, at).toByteArray(), at);
            }
            if (late ? m == 40 : m == 5) {
                run.decisions.pipeInput("tx-extra", Run.decision("tx-extra", true, extraAt).toByteArray(), extraAt);
            }
            while (!run.verdicts.isEmpty()) {
                out.add(VerdictIssued.parseFrom(run.verdicts.readValue()));
            }
        }
        run.close();
        return out.get(out.size() - 1);
    }

    private static long count(KeyValueStore<String, Object> store, String prefix) {
        long n = 0;
        try (KeyValueIterator<String, Object> it = store.all()) {
            while (it.hasNext()) {
                n += it.next().key.startsWith(prefix) ? 1 : 0;
            }
        }
        return n;
    }

    private static VerdictIssued at(List<VerdictIssued> verdicts, int minute) {
        long at = T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
        return verdicts.stream().filter(v -> ProtoTime.toInstant(v.getEvaluatedAt()).toEpochMilli() == at).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict at minute " + minute + " among " + verdicts.size()));
    }

    static RolloutWatch latencyWatch(String id) {
        return RolloutWatch.newBuilder().setRolloutId(id).setTreatmentModelVersion("challenger-v2").setActive(true)
                .addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.5))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("p99 latency").setMetric("SCORE_P99_LATENCY")
                        .setMargin(5).setAction("ROLLBACK").setMinimumExposurePerArm(2_000))
                .setAlpha(0.05).setMinimumStepMillis(Duration.ofMinutes(30).toMillis())
                .setSettleMillis(Duration.ofMinutes(2).toMillis()).setPlannedDecisions(10_000).build();
    }

    private List<byte[]> replay() throws Exception {
        Run run = new Run();
        run.watch(seedOneWatch("replay-1"));
        List<byte[]> out = new ArrayList<>();
        for (VerdictIssued v : run.simulate(new SplittableRandom(4), 300, 0.696, 0.710, 60)) {
            out.add(v.toByteArray());
        }
        run.close();
        return out;
    }

    static RolloutWatch seedOneWatch(String id) {
        return RolloutWatch.newBuilder()
                .setRolloutId(id)
                .setTreatmentModelVersion("challenger-v2")
                .setActive(true)
                .addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.10))
                .addShares(ShareChange.newBuilder().setFromMillis(T0.plus(Duration.ofHours(1)).toEpochMilli())
                        .setShare(0.50))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("conversion").setMetric("CONVERSION")
                        .setMargin(0.005).setAction("ROLLBACK").setMinimumExposurePerArm(2_000))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("decline").setMetric("DECLINE_RATE")
                        .setMargin(0.005).setAction("ROLLBACK").setMinimumExposurePerArm(2_000))
                .setAlpha(0.05)
                .setMinimumStepMillis(Duration.ofMinutes(30).toMillis())
                .setSettleMillis(Duration.ofMinutes(5).toMillis())
                .setPlannedDecisions(200_000)
                .build();
    }

    /** A TopologyTestDriver over the whole topology, fed minute by minute. */
    static final class Run {
        final StreamCounters counters = new StreamCounters();
        final TopologyTestDriver driver;
        final TestInputTopic<String, byte[]> decisions;
        final TestInputTopic<String, byte[]> outcomes;
        final TestInputTopic<String, byte[]> rollouts;
        final TestOutputTopic<String, byte[]> verdicts;

        Run() {
            this(LabelMaturity.IMMEDIATE);
        }

        Run(LabelMaturity labels) {
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "guardrail-topology-test");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            // In-memory stores: the driver commits (and RocksDB would flush) after every record.
            driver = new TopologyTestDriver(GuardrailTopology.build(TOPICS, new GuardrailTopology.Settings(
                    Duration.ofDays(1), Duration.ofMinutes(10), Duration.ZERO, 1, Duration.ofMinutes(30),
                    Duration.ofMinutes(1), Duration.ofSeconds(1), labels, Duration.ofDays(130)), counters,
                    Stores::inMemoryKeyValueStore), p);
            decisions = driver.createInputTopic("decisions", Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            outcomes = driver.createInputTopic("outcomes", Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            rollouts = driver.createInputTopic("rollouts", Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            verdicts = driver.createOutputTopic("verdicts", Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
        }

        void watch(RolloutWatch w) {
            rollouts.pipeInput(w.getRolloutId(), w.toByteArray(), T0);
        }

        /**
         * {@code perMinute} decisions a minute for {@code minutes}; each goes to the challenger with the watch's share
         * (10% for the first hour, then 50%), is approved, and completes an order two minutes later with its arm's
         * conversion rate. Stops at the first ROLLBACK.
         */
        List<VerdictIssued> simulate(SplittableRandom rnd, int perMinute, double challengerConversion,
                double championConversion, int minutes) throws Exception {
            return simulate(rnd, perMinute, challengerConversion, championConversion, minutes, 0);
        }

        /** As above, from minute {@code from} on (transaction ids carry the minute, so runs can be continued). */
        List<VerdictIssued> simulate(SplittableRandom rnd, int perMinute, double challengerConversion,
                double championConversion, int minutes, int from) throws Exception {
            List<VerdictIssued> out = new ArrayList<>();
            List<String[]> due = new ArrayList<>();
            long tx = (long) from * perMinute;
            for (int m = from; m < from + minutes; m++) {
                Instant minute = T0.plus(Duration.ofMinutes(m));
                double share = m < 60 ? 0.10 : 0.50;
                List<String[]> next = new ArrayList<>();
                for (int i = 0; i < perMinute; i++) {
                    String id = "tx-" + tx++;
                    Instant at = minute.plusMillis(i * 60_000L / perMinute);
                    boolean challenger = rnd.nextDouble() < share;
                    decisions.pipeInput(id, decision(id, challenger, at).toByteArray(), at);
                    if (rnd.nextDouble() < (challenger ? challengerConversion : championConversion)) {
                        next.add(new String[] {id, Long.toString(at.plusSeconds(120).toEpochMilli())});
                    }
                }
                for (String[] o : due) {
                    Instant at = Instant.ofEpochMilli(Long.parseLong(o[1]));
                    outcomes.pipeInput(o[0], outcome(o[0], at).toByteArray(), at);
                }
                due = next;
                while (!verdicts.isEmpty()) {
                    VerdictIssued v = VerdictIssued.parseFrom(verdicts.readValue());
                    out.add(v);
                    if (v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK) {
                        return out;
                    }
                }
            }
            return out;
        }

        /**
         * {@code perMinute} approvals a minute for {@code minutes}, each on the challenger with the watch's share,
         * with Score latencies of 10.0, 10.2, ... 29.8 ms in turn on each arm, plus {@code extraMicros} on the
         * challenger. Stops at the first ROLLBACK.
         */
        List<VerdictIssued> latencies(int perMinute, int minutes, long extraMicros) throws Exception {
            SplittableRandom rnd = new SplittableRandom(7);
            List<VerdictIssued> out = new ArrayList<>();
            long[] calls = new long[2];
            long tx = 0;
            for (int m = 0; m < minutes; m++) {
                Instant minute = T0.plus(Duration.ofMinutes(m));
                for (int i = 0; i < perMinute; i++) {
                    String id = "tx-" + tx++;
                    Instant at = minute.plusMillis(i * 60_000L / perMinute);
                    boolean challenger = rnd.nextDouble() < 0.5;
                    long micros = 10_000 + (calls[challenger ? 1 : 0]++ % 100) * 200 + (challenger ? extraMicros : 0);
                    DecisionMade d = decision(id, challenger, at).toBuilder()
                            .setTimings(DecisionTimings.newBuilder().setTotalUs(micros)).build();
                    decisions.pipeInput(id, d.toByteArray(), at);
                }
                while (!verdicts.isEmpty()) {
                    VerdictIssued v = VerdictIssued.parseFrom(verdicts.readValue());
                    out.add(v);
                    if (v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK) {
                        return out;
                    }
                }
            }
            return out;
        }

        /** {@code perMinute} approvals a minute for {@code minutes}, alternately on the challenger and the champion. */
        List<VerdictIssued> alternating(int perMinute, int minutes) throws Exception {
            List<VerdictIssued> out = new ArrayList<>();
            long tx = 0;
            for (int m = 0; m < minutes; m++) {
                Instant minute = T0.plus(Duration.ofMinutes(m));
                for (int i = 0; i < perMinute; i++) {
                    String id = "tx-" + tx;
                    Instant at = minute.plusMillis(i * 60_000L / perMinute);
                    decisions.pipeInput(id, decision(id, tx++ % 2 == 0, at).toByteArray(), at);
                }
                while (!verdicts.isEmpty()) {
                    out.add(VerdictIssued.parseFrom(verdicts.readValue()));
                }
            }
            return out;
        }

        void close() {
            driver.close();
        }

        static DecisionMade decision(String tx, boolean challenger, Instant at) {
            return DecisionMade.newBuilder().setDecisionId("d-" + tx).setTransactionId(tx).setAccountId("a-" + tx)
                    .setDecidedAt(ProtoTime.of(at)).setPaymentCreatedAt(ProtoTime.of(at))
                    .setDecision(Decision.DECISION_APPROVE)
                    .setArm(challenger ? Arm.ARM_CHALLENGER : Arm.ARM_CHAMPION)
                    .setModelVersion(challenger ? "challenger-v2" : "champion-v1").setPolicyVersion("p-1")
                    .setAttributes(DecisionAttributes.newBuilder().setCountry("CA").setCustomerAgeBand("18-24"))
                    .build();
        }

        static OutcomeRecorded outcome(String tx, Instant at) {
            return OutcomeRecorded.newBuilder().setOutcomeId("o-" + tx).setTransactionId(tx).setAccountId("a-" + tx)
                    .setOccurredAt(ProtoTime.of(at)).setKind(OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED)
                    .setProducer("test").build();
        }
    }
}
