package io.vigil.guardrail.monitor.counting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.DecisionTimings;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.GuardrailTopology;
import io.vigil.guardrail.aggregation.StreamCounters;
import io.vigil.guardrail.monitor.MonitorCatalog;

/**
 * The monitors' fold inside the whole guardrail topology (TopologyTestDriver): decisions and outcomes in, the counts
 * per monitor, minute and hour the sink receives out, each worked out by hand from the records piped.
 */
class MonitorFoldTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    static final GuardrailTopology.Topics TOPICS = new GuardrailTopology.Topics("decisions", "outcomes", "joined",
            "unmatched", "rollouts", "deltas", "verdicts");
    static final MonitorCatalog CATALOG = MonitorCatalog.of(List.of("all", "country=CA & age=18-24"),
            List.of("incorrect_approval", "decline_rate", "conversion", "slow_score_rate"));

    /** Keeps the last value written per monitor, granularity, bucket and partition, like the table's upsert. */
    static final class TableSink implements MonitorCountSink {
        final Map<String, MonitorCount> rows = new HashMap<>();
        final List<Integer> batchSizes = new ArrayList<>();
        long watermark = -1;
        int failuresLeft;

        @Override
        public void write(List<MonitorCount> counts, int partition, long streamTimeMillis) {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("database down");
            }
            batchSizes.add(counts.size());
            for (MonitorCount c : counts) {
                rows.put(c.monitorId() + "|" + c.granularity() + "|" + c.bucketStartMillis(), c);
            }
            watermark = streamTimeMillis;
        }

        long[] at(String monitor, MonitorCount.Granularity g, Instant start) {
            MonitorCount c = rows.get(monitor + "|" + g + "|" + start.toEpochMilli());
            return c == null ? null : new long[] {c.exposure(), c.events()};
        }
    }

    TopologyTestDriver driver;
    final TableSink sink = new TableSink();
    final MonitorFold.Counters counters = new MonitorFold.Counters();
    TestInputTopic<String, byte[]> decisions;
    TestInputTopic<String, byte[]> outcomes;

    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-fold-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MonitorFold fold = new MonitorFold(CATALOG, sink, 50_000, Duration.ofSeconds(1), Duration.ofHours(12),
                Duration.ofDays(2), counters);
        driver = new TopologyTestDriver(GuardrailTopology.build(TOPICS, new GuardrailTopology.Settings(
                Duration.ofDays(1), Duration.ofMinutes(10), Duration.ZERO, 1, Duration.ofMinutes(30),
                Duration.ofMinutes(1)), new StreamCounters(), Stores::inMemoryKeyValueStore, List.of(fold)), p, T0);
        decisions = driver.createInputTopic("decisions", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        outcomes = driver.createInputTopic("outcomes", Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void decisionsAndOutcomesAreCountedIntoEveryMonitorOfTheirCohorts() {
        start();
        pipeTheMinute();
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        // Three decisions at 00:00: CA 18-24 approved (80 ms), US declined (10 ms), CA 18-24 approved (20 ms).
        // All traffic: 3 exposed to declines (1 declined), 3 to conversion (1 order, tx-1's, counted in its
        // decision's minute), 3 Score calls (1 slower than 50 ms), 2 approvals for incorrect approvals.
        assertCounts("decline_rate@all", 0, 3, 1);
        assertCounts("conversion@all", 0, 3, 1);
        assertCounts("slow_score_rate@all", 0, 3, 1);
        assertCounts("incorrect_approval@all", 0, 2, 0);
        // CA 18-24: the two approvals only.
        assertCounts("decline_rate@country=CA,age=18-24", 0, 2, 0);
        assertCounts("conversion@country=CA,age=18-24", 0, 2, 1);
        assertCounts("slow_score_rate@country=CA,age=18-24", 0, 2, 1);
        // tx-3's fraud report arrives at 00:05: the proxy counts it in the minute it arrived, beside no approvals.
        assertCounts("incorrect_approval@country=CA,age=18-24", 0, 2, 0);
        assertCounts("incorrect_approval@country=CA,age=18-24", 5, 0, 1);
        // The hour holds both: 2 approvals, 1 label.
        assertEquals(2, sink.at("incorrect_approval@country=CA,age=18-24", MonitorCount.Granularity.HOUR, T0)[0]);
        assertEquals(1, sink.at("incorrect_approval@country=CA,age=18-24", MonitorCount.Granularity.HOUR, T0)[1]);
        // The partition has counted to its stream time: the report's 00:05.
        assertEquals(T0.plusSeconds(300).toEpochMilli(), sink.watermark);
    }

    @Test
    void onlyChangedCountsAreSentAgainAndAFailedSendIsRetriedWithTheSameTotals() {
        start();
        sink.failuresLeft = 1;
        pipeTheMinute();
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(sink.rows.isEmpty(), "the first send failed");
        assertEquals(1, counters.sinkFailures().get());
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertCounts("decline_rate@all", 0, 3, 1);
        int first = sink.batchSizes.get(0);
        // 8 monitors x minute 00:00 + 8 x hour 00, and the report's minute 00:05 for the two incorrect-approval ones.
        assertEquals(18, first);
        // Nothing changed, stream time neither: nothing is sent at all.
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(1, sink.batchSizes.size());
        // One more declined decision at 00:01 in the US: all traffic's decline and conversion and slow-score
        // monitors change in minute 00:01 and hour 00 (3 monitors x 2 rows); incorrect approvals are not exposed.
        decisions.pipeInput("tx-4", decision("tx-4", Decision.DECISION_DECLINE, "US", "25-34", 10_000,
                T0.plusSeconds(60)).toByteArray(), T0.plusSeconds(60));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(6, sink.batchSizes.get(1));
        assertCounts("decline_rate@all", 1, 1, 1);
        assertEquals(4, sink.at("decline_rate@all", MonitorCount.Granularity.HOUR, T0)[0]);
        assertEquals(2, sink.at("decline_rate@all", MonitorCount.Granularity.HOUR, T0)[1]);
    }

    private void pipeTheMinute() {
        decisions.pipeInput("tx-1", decision("tx-1", Decision.DECISION_APPROVE, "CA", "18-24", 80_000, T0)
                .toByteArray(), T0);
        decisions.pipeInput("tx-2", decision("tx-2", Decision.DECISION_DECLINE, "US", "25-34", 10_000,
                T0.plusSeconds(10)).toByteArray(), T0.plusSeconds(10));
        decisions.pipeInput("tx-3", decision("tx-3", Decision.DECISION_APPROVE, "CA", "18-24", 20_000,
                T0.plusSeconds(20)).toByteArray(), T0.plusSeconds(20));
        outcomes.pipeInput("tx-1", outcome("tx-1", OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, T0.plusSeconds(60))
                .toByteArray(), T0.plusSeconds(60));
        outcomes.pipeInput("tx-3", outcome("tx-3", OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED, T0.plusSeconds(300))
                .toByteArray(), T0.plusSeconds(300));
    }

    private void assertCounts(String monitor, int minute, long exposure, long events) {
        long[] c = sink.at(monitor, MonitorCount.Granularity.MINUTE, T0.plusSeconds(60L * minute));
        assertTrue(c != null, monitor + " has no count at minute " + minute + ": " + sink.rows.keySet());
        assertEquals(exposure, c[0], monitor + " exposure at minute " + minute);
        assertEquals(events, c[1], monitor + " events at minute " + minute);
    }

    static DecisionMade decision(String tx, Decision decision, String country, String age, long latencyMicros,
            Instant at) {
        return DecisionMade.newBuilder().setDecisionId("d-" + tx).setTransactionId(tx).setAccountId("a-" + tx)
                .setDecidedAt(ProtoTime.of(at)).setPaymentCreatedAt(ProtoTime.of(at)).setDecision(decision)
                .setModelVersion("champion-v1").setPolicyVersion("p-1")
                .setTimings(DecisionTimings.newBuilder().setTotalUs(latencyMicros))
                .setAttributes(DecisionAttributes.newBuilder().setCountry(country).setCustomerAgeBand(age))
                .build();
    }

    static OutcomeRecorded outcome(String tx, OutcomeKind kind, Instant at) {
        return OutcomeRecorded.newBuilder().setOutcomeId("o-" + tx + "-" + kind.getNumber()).setTransactionId(tx)
                .setAccountId("a-" + tx).setOccurredAt(ProtoTime.of(at)).setKind(kind).setProducer("test").build();
    }
}
