package io.vigil.guardrail.aggregation;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.vigil.guardrail.aggregation.state.RolloutBucket;
import io.vigil.guardrail.aggregation.state.RolloutWatch;

/**
 * guardrail-service's streaming half, in one topology:
 * <ol>
 *   <li>{@link DecisionOutcomeJoin}: outcomes joined with their decisions by transaction id;</li>
 *   <li>{@link RolloutDeltaProcessor}: each decision and joined outcome becomes a delta per watched rollout, keyed by
 *       rollout id (a repartition topic), where the decisions are;</li>
 *   <li>{@link RolloutEvaluatorProcessor}: per rollout, minute buckets in a changelogged store, evaluated every minute
 *       of stream time into verdicts on vigil.verdicts.v1.</li>
 * </ol>
 * The watched rollouts come from a compacted topic into a global store, so every instance knows them.
 */
public final class GuardrailTopology {

    public static final String ROLLOUTS_STORE = "watched-rollouts";
    public static final String BUCKETS_STORE = "rollout-buckets";

    public record Topics(String decisions, String outcomes, String joined, String unmatched, String rollouts,
            String deltas, String verdicts) {
    }

    private GuardrailTopology() {
    }

    public static Topology build(Topics topics, Duration joinWait, StreamCounters counters) {
        return build(topics, joinWait, counters, Stores::persistentKeyValueStore);
    }

    public static Topology build(Topics topics, Duration joinWait, StreamCounters counters,
            DecisionOutcomeJoin.StoreKind stores) {
        Topology t = DecisionOutcomeJoin.topology(new DecisionOutcomeJoin.Settings(topics.decisions(),
                topics.outcomes(), topics.joined(), topics.unmatched(), joinWait, Duration.ofMinutes(10)), counters,
                stores);
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ROLLOUTS_STORE), Serdes.String(),
                ProtoSerde.of(RolloutWatch.parser())).withLoggingDisabled(), "rollouts-source",
                Serdes.String().deserializer(), ProtoSerde.of(RolloutWatch.parser()).deserializer(), topics.rollouts(),
                "rollouts-loader", WatchLoader::new);
        // The decisions feed both the join and the deltas; the joined outcomes come back in from their topic.
        t.addSource("joined-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.joined());
        t.addProcessor("rollout-deltas", () -> new RolloutDeltaProcessor(topics.decisions(), counters), "decisions",
                "joined-source");
        t.addSink("deltas-sink", topics.deltas(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "rollout-deltas");
        t.addSource("deltas-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.deltas());
        t.addProcessor("rollout-evaluator", () -> new RolloutEvaluatorProcessor(counters), "deltas-source");
        t.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(BUCKETS_STORE), Serdes.String(),
                ProtoSerde.of(RolloutBucket.parser())), "rollout-evaluator");
        t.addSink("verdicts-sink", topics.verdicts(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "rollout-evaluator");
        return t;
    }

    /** Keeps the global store equal to the compacted topic: a tombstone removes the watch. */
    static final class WatchLoader implements Processor<String, RolloutWatch, Void, Void> {
        private KeyValueStore<String, RolloutWatch> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(ROLLOUTS_STORE);
        }

        @Override
        public void process(Record<String, RolloutWatch> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
