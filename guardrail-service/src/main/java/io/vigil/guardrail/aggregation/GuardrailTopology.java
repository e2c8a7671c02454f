package io.vigil.guardrail.aggregation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import com.google.protobuf.InvalidProtocolBufferException;

import io.vigil.guardrail.aggregation.state.RolloutBucket;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.evaluation.LabelMaturity;

/**
 * guardrail-service's streaming half, in one topology:
 * <ol>
 *   <li>{@link DecisionOutcomeJoin}: outcomes joined with their decisions by transaction id;</li>
 *   <li>{@link RolloutDeltaProcessor}: each decision and joined outcome is counted into its minute bucket of every
 *       watched rollout, where the decisions are, and the buckets' counts go on keyed by rollout id (a repartition
 *       topic);</li>
 *   <li>{@link RolloutEvaluatorProcessor}: per rollout, minute buckets in a changelogged store, evaluated every minute
 *       of stream time into verdicts on vigil.verdicts.v1.</li>
 * </ol>
 * The watched rollouts come from a compacted topic into a global store, so every instance knows them.
 */
public final class GuardrailTopology {

    public static final String ROLLOUTS_STORE = "watched-rollouts";
    public static final String BUCKETS_STORE = "rollout-buckets";
    /** Per rollout, the last evaluated time: a task that takes a rollout over never issues a verdict twice. */
    public static final String EVALUATED_STORE = "rollout-evaluated";
    /** Per rollout and source partition, how far that partition's task has sent its deltas (event time). */
    public static final String WATERMARKS_STORE = "rollout-watermarks";
    /** Per rollout and bucket, the counts an upstream task has not sent yet (written back before each commit). */
    public static final String OPEN_COUNTS_STORE = "rollout-open-counts";
    static final String DELTAS_PROCESSOR = "rollout-deltas";

    public record Topics(String decisions, String outcomes, String joined, String unmatched, String rollouts,
            String deltas, String verdicts) {
    }

    private GuardrailTopology() {
    }

    /**
     * @param joinWait how long an early outcome waits for its decision (stream time)
     * @param expiryInterval how often waiting outcomes are checked against the join wait
     * @param minimumSettle the least any rollout's newest buckets rest before they are evaluated (a watch may ask more)
     * @param sourcePartitions partitions of the decisions topic: a rollout minute is evaluated once the tasks of all of
     *        them have sent their deltas past it (their watermarks)
     * @param maxPartitionLag how far a silent partition may hold evaluation back behind the stream time of the
     *        evaluating task; past it the minute is evaluated anyway and what comes later counts as late
     * @param partitionSilence how long (wall time) a lagging partition's watermark must have stood still before it
     *        counts as silent: in a replay partitions lag by many minutes of event time yet keep moving
     * @param deltaFlushInterval how often (wall time) an upstream task sends its open counts even if its progress has
     *        not crossed a minute (it always sends them before a watermark)
     * @param labels the label-delay distribution: which vintages an incorrect-approval guardrail judges
     * @param decisionRetention how long (event time) a decision's projection is kept for its outcomes to join
     */
    public record Settings(Duration joinWait, Duration expiryInterval, Duration minimumSettle, int sourcePartitions,
            Duration maxPartitionLag, Duration partitionSilence, Duration deltaFlushInterval, LabelMaturity labels,
            Duration decisionRetention) {

        /** Counts sent every second, labels known at once, projections kept 130 days. */
        public Settings(Duration joinWait, Duration expiryInterval, Duration minimumSettle, int sourcePartitions,
                Duration maxPartitionLag, Duration partitionSilence) {
            this(joinWait, expiryInterval, minimumSettle, sourcePartitions, maxPartitionLag, partitionSilence,
                    Duration.ofSeconds(1), LabelMaturity.IMMEDIATE, Duration.ofDays(130));
        }

        public Settings {
            if (minimumSettle.isNegative()) {
                throw new IllegalArgumentException("minimum settle must not be negative, got " + minimumSettle);
            }
            if (sourcePartitions < 1) {
                throw new IllegalArgumentException("source partitions must be at least 1, got " + sourcePartitions);
            }
            if (maxPartitionLag.isNegative()) {
                throw new IllegalArgumentException("max partition lag must not be negative, got " + maxPartitionLag);
            }
            if (deltaFlushInterval.isNegative() || deltaFlushInterval.isZero()) {
                throw new IllegalArgumentException("delta flush interval must be positive, got " + deltaFlushInterval);
            }
            if (decisionRetention.compareTo(joinWait) < 0) {
                throw new IllegalArgumentException("decision retention " + decisionRetention
                        + " must be at least the join wait " + joinWait);
            }
        }
    }

    public static Topology build(Topics topics, Duration joinWait, StreamCounters counters) {
        return build(topics, joinWait, counters, Stores::persistentKeyValueStore);
    }

    public static Topology build(Topics topics, Duration joinWait, StreamCounters counters,
            DecisionOutcomeJoin.StoreKind stores) {
        return build(topics, new Settings(joinWait, Duration.ofMinutes(10), Duration.ZERO, 1, Duration.ofMinutes(30),
                Duration.ofMinutes(1)), counters, stores);
    }

    public static Topology build(Topics topics, Settings settings, StreamCounters counters,
            DecisionOutcomeJoin.StoreKind stores) {
        return build(topics, settings, counters, stores, List.of());
    }

    /** With further consumers of the join (the cohort monitors' fold) in the same task. */
    public static Topology build(Topics topics, Settings settings, StreamCounters counters,
            DecisionOutcomeJoin.StoreKind stores, List<JoinChild> moreChildren) {
        List<String> children = new ArrayList<>();
        children.add(DELTAS_PROCESSOR);
        moreChildren.forEach(c -> children.add(c.name()));
        Topology t = DecisionOutcomeJoin.topology(new DecisionOutcomeJoin.Settings(topics.decisions(),
                topics.outcomes(), topics.joined(), topics.unmatched(), settings.joinWait(),
                settings.expiryInterval(), settings.decisionRetention()), counters, stores, children);
        for (JoinChild c : moreChildren) {
            c.addTo(t, DecisionOutcomeJoin.JOIN_PROCESSOR, stores);
        }
        // Kept as received (RolloutWatch bytes): the deltas look at every watch for every record, and comparing bytes
        // with the parsed copy they cache costs far less than parsing a watch of hundreds of guardrails each time.
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ROLLOUTS_STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled(), "rollouts-source",
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.rollouts(),
                "rollouts-loader", WatchLoader::new);
        // The join hands the deltas each decision it keeps and each joined outcome, as objects, in the same task.
        t.addProcessor(DELTAS_PROCESSOR, () -> new RolloutDeltaProcessor(counters, settings.deltaFlushInterval()),
                "join");
        t.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(stores.supplier(OPEN_COUNTS_STORE),
                Serdes.String(), ProtoSerde.of(RolloutBucket.parser()))), DELTAS_PROCESSOR);
        t.addSink("deltas-sink", topics.deltas(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                DELTAS_PROCESSOR);
        t.addSource("deltas-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.deltas());
        t.addProcessor("rollout-evaluator", () -> new RolloutEvaluatorProcessor(counters, settings), "deltas-source");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(BUCKETS_STORE), Serdes.String(),
                ProtoSerde.of(RolloutBucket.parser())), "rollout-evaluator");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(EVALUATED_STORE), Serdes.String(),
                Serdes.Long()), "rollout-evaluator");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(WATERMARKS_STORE), Serdes.String(),
                Serdes.Long()), "rollout-evaluator");
        t.addSink("verdicts-sink", topics.verdicts(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "rollout-evaluator");
        return t;
    }

    /** A stored watch, parsed; null when it cannot be decoded (counted where it is used). */
    static RolloutWatch parseWatch(byte[] raw) {
        try {
            return raw == null ? null : RolloutWatch.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** Keeps the global store equal to the compacted topic: a tombstone removes the watch. */
    static final class WatchLoader implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(ROLLOUTS_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
