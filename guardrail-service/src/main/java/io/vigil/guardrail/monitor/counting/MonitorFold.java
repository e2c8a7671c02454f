package io.vigil.guardrail.monitor.counting;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import io.vigil.guardrail.aggregation.DecisionOutcomeJoin;
import io.vigil.guardrail.aggregation.JoinChild;
import io.vigil.guardrail.monitor.MonitorCatalog;

/**
 * The cohort monitors' part of the guardrail topology: beside the rollout deltas, a child of the join that counts
 * each decision and joined outcome into every monitor whose cohort it belongs to ({@link MonitorCountProcessor}).
 *
 * @param slowScoreMicros a Score call slower than this counts as slow (slow_score_rate)
 * @param flushInterval how often (wall time) changed counts go to the sink
 * @param minuteRetention minute buckets older than this (stream time) are dropped from the store (and no longer
 *        counted: the detector has long folded them); hour buckets are kept for {@code hourRetention}
 */
public record MonitorFold(MonitorCatalog catalog, MonitorCountSink sink, long slowScoreMicros, Duration flushInterval,
        Duration minuteRetention, Duration hourRetention, Counters counters) implements JoinChild {

    public static final String PROCESSOR = "monitor-counts";
    /** Key: M|monitor id|epoch minute or H|monitor id|epoch hour; value: exposure, events (two longs). */
    public static final String COUNTS_STORE = "monitor-counts";
    /** The keys changed since they last reached the sink (changelogged: a restored task sends them again). */
    public static final String DIRTY_STORE = "monitor-counts-unsent";

    /** What the fold counts for /q/metrics. */
    public record Counters(AtomicLong late, AtomicLong sinkFailures, AtomicLong flushed) {
        public Counters() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    @Override
    public String name() {
        return PROCESSOR;
    }

    @Override
    public void addTo(Topology topology, String joinProcessor, DecisionOutcomeJoin.StoreKind stores) {
        topology.addProcessor(PROCESSOR, () -> new MonitorCountProcessor(this), joinProcessor);
        // Cached: a busy minute's key changes hundreds of times between commits; its changelog gets the last value.
        topology.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(COUNTS_STORE), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(DIRTY_STORE), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
    }
}
