package io.vigil.guardrail.monitor.counting;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.vigil.guardrail.aggregation.CohortExpression;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.aggregation.state.JoinedOutcome;
import io.vigil.guardrail.monitor.MonitorMetric;

/**
 * Counts the join's decisions and outcomes into every monitor they belong to, per event-time minute and hour, in a
 * changelogged store, and sends the changed counts (absolute) to the sink every flush interval of wall time. A decision
 * counts in its payment's minute toward each monitor's exposure (and event, for rates decided at scoring time); an
 * outcome counts in its decision's minute (conversion) or its own (incorrect-approval proxy; see MonitorMetric).
 *
 * <p>Exactly once into the sink without a transaction spanning both: the counts and the set of keys not yet sent move
 * with the task's commits (exactly_once_v2), the sink replaces rows instead of adding to them, and a key leaves the
 * unsent set only after the sink took it. A crash re-counts the uncommitted records from the restored store and
 * sends the same totals again.
 */
final class MonitorCountProcessor implements Processor<String, Object, Void, Void> {

    private static final byte[] MARK = new byte[0];

    private final MonitorFold fold;
    /** Monitor indexes per distinct cohort, so a decision is matched once per cohort, not once per monitor. */
    private final Map<CohortExpression, int[]> byCohort = new HashMap<>();
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> counts;
    private KeyValueStore<String, byte[]> unsent;
    private int partition;
    /** The stream time the sink last took (in memory: after a restart the first flush sends it again). */
    private long sentStreamTime = Long.MIN_VALUE;

    MonitorCountProcessor(MonitorFold fold) {
        this.fold = fold;
        Map<String, List<Integer>> grouped = new HashMap<>();
        Map<String, CohortExpression> cohorts = new HashMap<>();
        for (int i = 0; i < fold.catalog().size(); i++) {
            CohortExpression c = fold.catalog().get(i).cohort();
            grouped.computeIfAbsent(c.toString(), k -> new ArrayList<>()).add(i);
            cohorts.putIfAbsent(c.toString(), c);
        }
        grouped.forEach((text, indexes) -> byCohort.put(cohorts.get(text),
                indexes.stream().mapToInt(Integer::intValue).toArray()));
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.counts = context.getStateStore(MonitorFold.COUNTS_STORE);
        this.unsent = context.getStateStore(MonitorFold.DIRTY_STORE);
        this.partition = context.taskId().partition();
        context.schedule(fold.flushInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
        // Stream time: a replay drops what the live run would have dropped, when it would have.
        context.schedule(fold.minuteRetention().dividedBy(6).isZero() ? fold.minuteRetention()
                : fold.minuteRetention().dividedBy(6), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof DecisionProjection d) {
            onDecision(d);
        } else if (record.value() instanceof JoinedOutcome o) {
            onOutcome(o);
        }
    }

    private void onDecision(DecisionProjection d) {
        long time = d.getPaymentTimeMillis();
        for (Map.Entry<CohortExpression, int[]> e : byCohort.entrySet()) {
            if (!e.getKey().matches(d)) {
                continue;
            }
            for (int i : e.getValue()) {
                MonitorMetric m = fold.catalog().get(i).metric();
                if (m.exposed(d)) {
                    add(i, time, 1, m.eventAtDecision(d, fold.slowScoreMicros()) ? 1 : 0);
                }
            }
        }
    }

    private void onOutcome(JoinedOutcome o) {
        DecisionProjection d = o.getDecision();
        for (Map.Entry<CohortExpression, int[]> e : byCohort.entrySet()) {
            if (!e.getKey().matches(d)) {
                continue;
            }
            for (int i : e.getValue()) {
                MonitorMetric m = fold.catalog().get(i).metric();
                if (m.eventAtOutcome(d, o.getOutcomeKind())) {
                    add(i, m.countsAtArrival() ? o.getOccurredAtMillis() : d.getPaymentTimeMillis(), 0, 1);
                }
            }
        }
    }

    private void add(int monitor, long timeMillis, long exposure, long events) {
        long streamTime = context.currentStreamTimeMs();
        long minute = Math.floorDiv(timeMillis, MonitorCount.Granularity.MINUTE.millis());
        long hour = Math.floorDiv(timeMillis, MonitorCount.Granularity.HOUR.millis());
        boolean minuteKept = timeMillis >= streamTime - fold.minuteRetention().toMillis();
        boolean hourKept = timeMillis >= streamTime - fold.hourRetention().toMillis();
        if (minuteKept) {
            addTo(key('M', fold.catalog().get(monitor).id(), minute), exposure, events);
        }
        if (hourKept) {
            addTo(key('H', fold.catalog().get(monitor).id(), hour), exposure, events);
        }
        if (!minuteKept) {
            fold.counters().late().incrementAndGet();
        }
    }

    private void addTo(String key, long exposure, long events) {
        byte[] old = counts.get(key);
        ByteBuffer b = ByteBuffer.allocate(16);
        if (old == null) {
            b.putLong(exposure).putLong(events);
        } else {
            ByteBuffer o = ByteBuffer.wrap(old);
            b.putLong(o.getLong() + exposure).putLong(o.getLong() + events);
        }
        counts.put(key, b.array());
        unsent.put(key, MARK);
    }

    /** Sends the unsent keys' counts; on failure they stay unsent and go with the next flush. */
    private void flush() {
        List<MonitorCount> batch = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = unsent.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                keys.add(key);
                byte[] v = counts.get(key);
                if (v != null) {
                    batch.add(count(key, v));
                }
            }
        }
        long streamTime = context.currentStreamTimeMs();
        if (batch.isEmpty() && keys.isEmpty() && streamTime == sentStreamTime) {
            return;
        }
        try {
            fold.sink().write(batch, partition, streamTime);
        } catch (Exception e) {
            fold.counters().sinkFailures().incrementAndGet();
            return;
        }
        keys.forEach(unsent::delete);
        sentStreamTime = streamTime;
        fold.counters().flushed().addAndGet(batch.size());
    }

    /** Drops minute buckets past their retention, and hour buckets past theirs. */
    private void expire(long streamTime) {
        long minuteCut = Math.floorDiv(streamTime - fold.minuteRetention().toMillis(),
                MonitorCount.Granularity.MINUTE.millis());
        long hourCut = Math.floorDiv(streamTime - fold.hourRetention().toMillis(),
                MonitorCount.Granularity.HOUR.millis());
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = counts.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                String[] p = kv.key.split("\\|");
                long bucket = Long.parseLong(p[2]);
                if (p[0].equals("M") ? bucket < minuteCut : bucket < hourCut) {
                    expired.add(kv.key);
                }
            }
        }
        for (String k : expired) {
            // An unsent bucket is sent before it goes (the sink must see its last value).
            if (unsent.get(k) == null) {
                counts.delete(k);
            }
        }
    }

    private MonitorCount count(String key, byte[] value) {
        String[] p = key.split("\\|");
        MonitorCount.Granularity g = p[0].equals("M") ? MonitorCount.Granularity.MINUTE
                : MonitorCount.Granularity.HOUR;
        ByteBuffer b = ByteBuffer.wrap(value);
        return new MonitorCount(p[1], g, Long.parseLong(p[2]) * g.millis(), partition, b.getLong(), b.getLong());
    }

    /** By monitor id, not index: a store restored under a changed catalog still means the same monitors. */
    private static String key(char granularity, String monitorId, long bucket) {
        return granularity + "|" + monitorId + "|" + bucket;
    }

}
