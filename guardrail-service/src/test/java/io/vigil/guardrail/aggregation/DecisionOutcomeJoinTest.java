package io.vigil.guardrail.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.ArmRole;
import io.vigil.contracts.events.v1.ArmScore;
import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.aggregation.state.JoinedOutcome;
import io.vigil.guardrail.aggregation.state.UnmatchedOutcome;

/** The join driven record by record with TopologyTestDriver: event time is the test's to set. */
class DecisionOutcomeJoinTest {

    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    static final DecisionOutcomeJoin.Settings SETTINGS = new DecisionOutcomeJoin.Settings("decisions", "outcomes",
            "joined", "unmatched", Duration.ofDays(1), Duration.ofMinutes(10));

    StreamCounters counters;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> decisions;
    TestInputTopic<String, byte[]> outcomes;
    TestOutputTopic<String, byte[]> joined;
    TestOutputTopic<String, byte[]> unmatched;

    @BeforeEach
    void start() {
        counters = new StreamCounters();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "join-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(DecisionOutcomeJoin.topology(SETTINGS, counters), p);
        decisions = driver.createInputTopic("decisions", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        outcomes = driver.createInputTopic("outcomes", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        joined = driver.createOutputTopic("joined", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        unmatched = driver.createOutputTopic("unmatched", Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void anOutcomeAfterItsDecisionIsJoinedWithTheProjectionInItsOwnEventTime() throws Exception {
        decide("tx-1", "d-1", T0);
        outcome("tx-1", "o-1", OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, T0.plusSeconds(90));
        List<TestRecord<String, byte[]>> out = joined.readRecordsToList();
        assertEquals(1, out.size());
        JoinedOutcome j = JoinedOutcome.parseFrom(out.get(0).value());
        assertEquals("tx-1", j.getTransactionId());
        assertEquals(OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED_VALUE, j.getOutcomeKind());
        assertEquals(T0.plusSeconds(90).toEpochMilli(), out.get(0).timestamp());
        DecisionProjection d = j.getDecision();
        assertEquals("d-1", d.getDecisionId());
        assertEquals(Arm.ARM_CHALLENGER_VALUE, d.getArm());
        assertEquals("challenger-v2", d.getModelVersion());
        assertEquals(T0.toEpochMilli(), d.getPaymentTimeMillis());
        assertEquals("CA", Projections.attribute(d, DecisionAttribute.COUNTRY));
        assertEquals("18-24", Projections.attribute(d, DecisionAttribute.AGE_BAND));
        assertEquals("m-42", Projections.attribute(d, DecisionAttribute.MERCHANT_ID));
        assertEquals(84.5, d.getAmountUsd());
        assertEquals(2, d.getArmScoresCount());
        assertEquals(1, counters.joined().get());
    }

    @Test
    void anOutcomeThatBeatsItsDecisionWaitsAndJoinsWhenTheDecisionComes() throws Exception {
        outcome("tx-2", "o-1", OutcomeKind.OUTCOME_KIND_AUTHORIZED, T0.plusSeconds(5));
        assertTrue(joined.isEmpty());
        assertEquals(1, counters.bufferedOutcomes().get());
        decide("tx-2", "d-2", T0);
        JoinedOutcome j = JoinedOutcome.parseFrom(joined.readValue());
        assertEquals("d-2", j.getDecision().getDecisionId());
        assertEquals(OutcomeKind.OUTCOME_KIND_AUTHORIZED_VALUE, j.getOutcomeKind());
        assertEquals(0, driver.getKeyValueStore(DecisionOutcomeJoin.PENDING_STORE).approximateNumEntries());
    }

    @Test
    void anOutcomeDeliveredTwiceCountsOnceBeforeAndAfterItsDecision() {
        outcome("tx-3", "o-1", OutcomeKind.OUTCOME_KIND_AUTHORIZED, T0);
        outcome("tx-3", "o-1", OutcomeKind.OUTCOME_KIND_AUTHORIZED, T0);
        decide("tx-3", "d-3", T0);
        outcome("tx-3", "o-1", OutcomeKind.OUTCOME_KIND_AUTHORIZED, T0);
        outcome("tx-3", "o-2", OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, T0.plusSeconds(60));
        assertEquals(2, joined.readRecordsToList().size());
        assertEquals(2, counters.duplicateOutcomes().get());
    }

    @Test
    void anOutcomeWhoseDecisionNeverComesIsCountedUnmatchedAfterTheWaitInStreamTime() throws Exception {
        outcome("tx-lost", "o-1", OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD, T0);
        // Half a day later in event time: still waiting.
        decide("tx-other", "d-9", T0.plus(Duration.ofHours(12)));
        assertTrue(unmatched.isEmpty());
        // A day and a bit later: given up, counted, kept on the unmatched topic.
        decide("tx-later", "d-10", T0.plus(Duration.ofHours(25)));
        UnmatchedOutcome u = UnmatchedOutcome.parseFrom(unmatched.readValue());
        assertEquals("tx-lost", u.getTransactionId());
        assertEquals("o-1", OutcomeRecorded.parseFrom(u.getOutcome()).getOutcomeId());
        assertEquals(1, counters.unmatched().get());
        assertTrue(joined.isEmpty());
    }

    @Test
    void undecodableRecordsAreCountedAndSkippedWithoutStoppingTheJoin() {
        decisions.pipeInput("tx-bad", new byte[] {(byte) 0xff, 0x01, 0x02}, T0);
        outcomes.pipeInput("tx-bad", new byte[] {0x0a, (byte) 0xff}, T0);
        assertEquals(2, counters.undecodable().get());
        decide("tx-4", "d-4", T0);
        outcome("tx-4", "o-1", OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, T0);
        assertEquals(1, joined.readRecordsToList().size());
    }

    @Test
    void aSecondDecisionForOneTransactionIsCountedAndTheFirstStands() throws Exception {
        decide("tx-5", "d-first", T0);
        decide("tx-5", "d-first", T0);
        decide("tx-5", "d-second", T0);
        outcome("tx-5", "o-1", OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, T0);
        assertEquals("d-first", JoinedOutcome.parseFrom(joined.readValue()).getDecision().getDecisionId());
        assertEquals(1, counters.duplicateDecisions().get());
        assertEquals(1, counters.conflictingDecisions().get());
    }

    @Test
    void aProjectionOlderThanTheRetentionIsDroppedAndItsLateOutcomeWaitsAsUnmatched() throws Exception {
        // Retention of two days: at stream time T0 + 3 days the projection stored at T0 is dropped, the one stored at
        // T0 + 1.5 days is kept.
        stop();
        counters = new StreamCounters();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "join-retention-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(DecisionOutcomeJoin.topology(new DecisionOutcomeJoin.Settings("decisions",
                "outcomes", "joined", "unmatched", Duration.ofDays(1), Duration.ofMinutes(10), Duration.ofDays(2)),
                counters), p);
        decisions = driver.createInputTopic("decisions", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        outcomes = driver.createInputTopic("outcomes", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        joined = driver.createOutputTopic("joined", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        unmatched = driver.createOutputTopic("unmatched", Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());

        decide("tx-old", "d-old", T0);
        decide("tx-mid", "d-mid", T0.plus(Duration.ofHours(36)));
        decide("tx-new", "d-new", T0.plus(Duration.ofDays(3)));
        outcome("tx-old", "o-1", OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD, T0.plus(Duration.ofDays(3)));
        outcome("tx-mid", "o-1", OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD, T0.plus(Duration.ofDays(3)));
        List<String> joinedIds = new ArrayList<>();
        for (TestRecord<String, byte[]> r : joined.readRecordsToList()) {
            joinedIds.add(JoinedOutcome.parseFrom(r.value()).getDecision().getDecisionId());
        }
        assertEquals(List.of("d-mid"), joinedIds);
        assertEquals(1, counters.decisionsExpired().get());
        assertEquals(1, counters.bufferedOutcomes().get());
        // A day past the wait, the outcome of the dropped decision is counted unmatched.
        decide("tx-later", "d-later", T0.plus(Duration.ofDays(4)).plusSeconds(1));
        assertEquals("tx-old", UnmatchedOutcome.parseFrom(unmatched.readValue()).getTransactionId());
        assertEquals(1, counters.unmatched().get());
    }

    @Test
    void replayingTheSameTopicsGivesTheSameJoinedStream() {
        List<byte[]> first = replay();
        stop();
        start();
        List<byte[]> second = replay();
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertTrue(java.util.Arrays.equals(first.get(i), second.get(i)), "record " + i + " differs");
        }
        assertFalse(first.isEmpty());
    }

    private List<byte[]> replay() {
        for (int i = 0; i < 50; i++) {
            String tx = "tx-r" + i;
            if (i % 3 == 0) {
                outcome(tx, "o-a", OutcomeKind.OUTCOME_KIND_AUTHORIZED, T0.plusSeconds(i));
                decide(tx, "d-r" + i, T0.plusSeconds(i));
            } else {
                decide(tx, "d-r" + i, T0.plusSeconds(i));
                outcome(tx, "o-a", OutcomeKind.OUTCOME_KIND_AUTHORIZED, T0.plusSeconds(i + 1));
            }
        }
        List<byte[]> values = new ArrayList<>();
        joined.readRecordsToList().forEach(r -> values.add(r.value()));
        return values;
    }

    private void decide(String tx, String decisionId, Instant paymentTime) {
        DecisionMade d = DecisionMade.newBuilder()
                .setDecisionId(decisionId)
                .setTransactionId(tx)
                .setAccountId("acct-1")
                .setDecidedAt(ProtoTime.of(paymentTime.plusMillis(3)))
                .setPaymentCreatedAt(ProtoTime.of(paymentTime))
                .setDecision(Decision.DECISION_APPROVE)
                .setArm(Arm.ARM_CHALLENGER)
                .setModelVersion("challenger-v2")
                .setPolicyVersion("p-7")
                .setAttributes(DecisionAttributes.newBuilder().setCountry("CA").setCustomerAgeBand("18-24")
                        .setChannel("web").setMerchantId("m-42").setAmountUsd(84.5))
                .addArmScores(ArmScore.newBuilder().setModelVersion("challenger-v2")
                        .setRole(ArmRole.ARM_ROLE_CHALLENGER).setScore(0.12).setDecided(true))
                .addArmScores(ArmScore.newBuilder().setModelVersion("champion-v1").setRole(ArmRole.ARM_ROLE_CHAMPION)
                        .setScore(0.2))
                .build();
        decisions.pipeInput(tx, d.toByteArray(), paymentTime);
    }

    private void outcome(String tx, String outcomeId, OutcomeKind kind, Instant at) {
        OutcomeRecorded o = OutcomeRecorded.newBuilder().setOutcomeId(outcomeId).setTransactionId(tx)
                .setAccountId("acct-1").setOccurredAt(ProtoTime.of(at)).setKind(kind)
                .setAmount(Money.newBuilder().setAmountMinor(8450).setCurrency("USD")).setProducer("test").build();
        outcomes.pipeInput(tx, o.toByteArray(), at);
    }
}
