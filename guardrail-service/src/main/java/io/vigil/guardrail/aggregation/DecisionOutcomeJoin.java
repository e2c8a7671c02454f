package io.vigil.guardrail.aggregation;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import io.vigil.guardrail.aggregation.state.DecisionEntry;
import io.vigil.guardrail.aggregation.state.PendingOutcomes;

/**
 * The topology that joins every outcome with the decision it followed, by transaction id, however late either side
 * arrives: outcomes come minutes (order completed) to months (chargebacks) after their decision, and now and then
 * before it. It keeps a compact projection of each decision in a changelogged state store (not the event) for
 * {@link Settings#decisionRetention()} of stream time (a second store indexes them by the minute they were stored
 * under, so expiry reads only the expired; an outcome of an older decision waits and goes unmatched), buffers
 * outcomes that beat their decision, gives up on them after {@link Settings#joinWait()} of stream time (counted and
 * sent to the unmatched topic), and counts every outcome once however often it is delivered.
 *
 * <p>Both source topics must be keyed by transaction id with the same partition count (they are: vigil.decisions.v1
 * and vigil.outcomes.v1 are keyed by transaction id), so a transaction's decision and outcomes meet in one task.
 * Run it with exactly-once processing so the store and the output move together.
 */
public final class DecisionOutcomeJoin {

    public static final String DECISIONS_STORE = "decision-projections";
    /** Key: the decision's event minute (zero-padded) | transaction id, so a range read finds the expired in order. */
    public static final String DECISION_EXPIRY_STORE = "decision-projections-by-minute";
    public static final String PENDING_STORE = "pending-outcomes";
    static final String JOINED_SINK = "joined-outcomes";
    static final String JOIN_PROCESSOR = "join";
    static final String UNMATCHED_SINK = "unmatched-outcomes";

    public record Settings(String decisionsTopic, String outcomesTopic, String joinedTopic, String unmatchedTopic,
            Duration joinWait, Duration expiryInterval, Duration decisionRetention) {

        /** Projections kept 130 days: chargebacks come up to 120 days after the payment. */
        public Settings(String decisionsTopic, String outcomesTopic, String joinedTopic, String unmatchedTopic,
                Duration joinWait, Duration expiryInterval) {
            this(decisionsTopic, outcomesTopic, joinedTopic, unmatchedTopic, joinWait, expiryInterval,
                    Duration.ofDays(130));
        }

        public Settings {
            if (joinWait.isNegative() || joinWait.isZero()) {
                throw new IllegalArgumentException("join wait must be positive, got " + joinWait);
            }
            if (expiryInterval.isNegative() || expiryInterval.isZero()) {
                throw new IllegalArgumentException("expiry interval must be positive, got " + expiryInterval);
            }
            if (decisionRetention.isNegative() || decisionRetention.isZero()) {
                throw new IllegalArgumentException("decision retention must be positive, got " + decisionRetention);
            }
        }
    }

    /** Which key-value store backs a named store. */
    @FunctionalInterface
    public interface StoreKind {
        KeyValueBytesStoreSupplier supplier(String name);
    }

    private DecisionOutcomeJoin() {
    }

    public static Topology topology(Settings s, StreamCounters counters) {
        return topology(s, counters, Stores::persistentKeyValueStore);
    }

    /** With the stores' kind chosen: RocksDB in service, in memory where a test drives millions of records. */
    public static Topology topology(Settings s, StreamCounters counters, StoreKind stores) {
        return topology(s, counters, stores, List.of());
    }

    /**
     * With processors named {@code joinedChildren}, to be added by the caller, that get each decision kept (its
     * projection) and each joined outcome, as objects, instead of the joined topic.
     */
    static Topology topology(Settings s, StreamCounters counters, StoreKind stores, List<String> joinedChildren) {
        Topology t = new Topology();
        // Event time from the CloudEvents ce_time header, whatever the application's default extractor is; a new
        // application id starts from the beginning of the topics (a replay).
        t.addSource(AutoOffsetReset.earliest(), "decisions", new CloudEventTimeExtractor(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), s.decisionsTopic());
        t.addSource(AutoOffsetReset.earliest(), "outcomes", new CloudEventTimeExtractor(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), s.outcomesTopic());
        t.addProcessor("join", () -> new JoinProcessor(s, counters, joinedChildren), "decisions", "outcomes");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(DECISIONS_STORE), Serdes.String(),
                ProtoSerde.of(DecisionEntry.parser())), "join");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(DECISION_EXPIRY_STORE), Serdes.String(),
                Serdes.ByteArray()), "join");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(PENDING_STORE), Serdes.String(),
                ProtoSerde.of(PendingOutcomes.parser())), "join");
        if (joinedChildren.isEmpty()) {
            // In the guardrail topology the joined outcomes go to the deltas inside the task; nothing reads the topic.
            t.addSink(JOINED_SINK, s.joinedTopic(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                    "join");
        }
        t.addSink(UNMATCHED_SINK, s.unmatchedTopic(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "join");
        return t;
    }
}
