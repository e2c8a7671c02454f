package io.vigil.guardrail.aggregation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.aggregation.state.JoinedOutcome;
import io.vigil.guardrail.aggregation.state.RolloutBucket;
import io.vigil.guardrail.aggregation.state.RolloutDelta;
import io.vigil.guardrail.aggregation.state.RolloutWatch;

/**
 * Counts each decision and each joined outcome into the minute bucket of every watched rollout it concerns, and sends
 * the buckets' counts on, keyed by rollout id, so the rollout's buckets and its evaluation live in exactly one task
 * (one instance acts for a rollout). Runs where the decisions are (partitioned by transaction id); gets each decision
 * (as its projection) and each joined outcome from the join, in the same task, and reads the watched rollouts from a
 * global store.
 *
 * <p>The counts are summed here, in memory, per rollout and bucket, and sent as one delta per bucket whenever this
 * task's progress crosses a minute and every {@code flushInterval} of wall time: a few records a minute instead of one
 * per input record, and no store write per record. The open sums are written back to a changelogged store just before
 * every commit ({@link WriteBehindStore}), so under exactly-once they commit with the offsets they account for.
 *
 * <p>Kafka Streams has no watermarks, and the evaluating task hears from every upstream task at its own pace (one may
 * be minutes of event time ahead of another, or restoring after a rebalance). So each upstream task also sends every
 * watched rollout a watermark whenever its progress crosses a minute: how far, in event time, it has processed its
 * decisions and joined outcomes. It sends it after the counts it covers, on the same partition, so the evaluator, which
 * judges a minute only once every upstream partition's watermark has passed it, has every count of that minute.
 */
final class RolloutDeltaProcessor implements Processor<String, Object, String, byte[]> {

    static final long BUCKET_MILLIS = 60_000;

    private final StreamCounters counters;
    private final Duration flushInterval;
    /** Per rollout id: the watch's bytes as last seen and what they parsed to (null: could not be read). */
    private final Map<String, Parsed> parsed = new HashMap<>();
    /** Open sums by store key (rollout|bucket), in key order so a flush sends them in a fixed order. */
    private final TreeMap<String, Open> open = new TreeMap<>();
    private ProcessorContext<String, byte[]> context;
    private ReadOnlyKeyValueStore<String, byte[]> watches;
    private WriteBehindStore<RolloutBucket> store;
    private int partition;
    /** Event time of the newest decision / joined outcome this task processed; MIN_VALUE before the first. */
    private long decisionProgress = Long.MIN_VALUE;
    private long outcomeProgress = Long.MIN_VALUE;
    private long sentWatermark = Long.MIN_VALUE;
    private List<WatchedRollout> activeCache;
    private long activeReadAt;

    static final long WATCH_REFRESH_MILLIS = 1_000;

    RolloutDeltaProcessor(StreamCounters counters, Duration flushInterval) {
        this.counters = counters;
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.watches = context.getStateStore(GuardrailTopology.ROLLOUTS_STORE);
        this.store = context.getStateStore(GuardrailTopology.OPEN_COUNTS_STORE);
        this.partition = context.taskId().partition();
        // The sums this task had counted but not sent when it last committed (restored from the changelog).
        try (KeyValueIterator<String, RolloutBucket> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, RolloutBucket> kv = all.next();
                int bar = kv.key.lastIndexOf('|');
                Open o = new Open(kv.key.substring(0, bar), Long.parseLong(kv.key.substring(bar + 1)),
                        BucketCounts.of(kv.value));
                o.stored = true;
                open.put(kv.key, o);
            }
        }
        store.beforeFlush(this::writeBack);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            send();
            activeCache = null;
        });
    }

    @Override
    public void process(Record<String, Object> record) {
        boolean decision;
        DecisionProjection d;
        int outcomeKind = 0;
        if (record.value() instanceof DecisionProjection p) {
            decision = true;
            d = p;
        } else if (record.value() instanceof JoinedOutcome j) {
            decision = false;
            d = j.getDecision();
            outcomeKind = j.getOutcomeKind();
        } else {
            counters.undecodable().incrementAndGet();
            return;
        }
        long bucket = Math.floorDiv(d.getPaymentTimeMillis(), BUCKET_MILLIS) * BUCKET_MILLIS;
        List<WatchedRollout> active = active();
        for (WatchedRollout w : active) {
            int arm = w.armOf(d);
            if (arm == 0) {
                continue;
            }
            if (decision) {
                w.countDecision(d, arm > 0, open(w, bucket).dirty());
            } else {
                int[] events = w.outcomeEvents(d, outcomeKind);
                if (events.length > 0) {
                    BucketCounts c = open(w, bucket).dirty();
                    for (int g : events) {
                        c.event(g, arm > 0, 1);
                    }
                }
            }
        }
        if (decision) {
            decisionProgress = Math.max(decisionProgress, d.getPaymentTimeMillis());
        } else {
            outcomeProgress = Math.max(outcomeProgress, record.timestamp());
        }
        sendWatermark(active);
    }

    private Open open(WatchedRollout w, long bucket) {
        String rollout = w.watch().getRolloutId();
        return open.computeIfAbsent(RolloutEvaluatorProcessor.key(rollout, bucket), k -> new Open(rollout, bucket,
                new BucketCounts()));
    }

    /** Before each commit: the sums changed since the last one go to the store (and its changelog). */
    private void writeBack() {
        for (Map.Entry<String, Open> e : open.entrySet()) {
            Open o = e.getValue();
            if (o.dirty) {
                store.put(e.getKey(), o.counts.toProto());
                o.dirty = false;
                o.stored = true;
            }
        }
    }

    /** Sends every open sum as a delta and forgets it (here and in the store): it is the evaluator's now. */
    private void send() {
        for (Map.Entry<String, Open> e : open.entrySet()) {
            Open o = e.getValue();
            RolloutDelta delta = RolloutDelta.newBuilder().setRolloutId(o.rollout).setBucketStartMillis(o.bucket)
                    .setCounts(o.counts.toProto()).build();
            context.forward(new Record<>(o.rollout, delta.toByteArray(), o.bucket));
            if (o.stored) {
                store.delete(e.getKey());
            }
        }
        open.clear();
    }

    /**
     * The task's progress: the older of its decisions' and its joined outcomes' (a stream not seen yet does not hold
     * it back, or a service without outcome producers would never be judged), floored to the minute. The open sums
     * go first, so the watermark follows every count it covers.
     */
    private void sendWatermark(List<WatchedRollout> active) {
        long progress = outcomeProgress == Long.MIN_VALUE ? decisionProgress
                : Math.min(decisionProgress, outcomeProgress);
        if (progress == Long.MIN_VALUE) {
            return;
        }
        long minute = Math.floorDiv(progress, BUCKET_MILLIS) * BUCKET_MILLIS;
        if (minute <= sentWatermark) {
            return;
        }
        sentWatermark = minute;
        send();
        for (WatchedRollout w : active) {
            RolloutDelta mark = RolloutDelta.newBuilder().setRolloutId(w.watch().getRolloutId())
                    .setWatermarkMillis(minute).setSourcePartition(partition).build();
            context.forward(new Record<>(w.watch().getRolloutId(), mark.toByteArray(), minute));
        }
    }

    /** One rollout bucket's sum not sent yet; dirty = changed since the last write-back, stored = in the store. */
    private static final class Open {
        final String rollout;
        final long bucket;
        final BucketCounts counts;
        boolean dirty;
        boolean stored;

        Open(String rollout, long bucket, BucketCounts counts) {
            this.rollout = rollout;
            this.bucket = bucket;
            this.counts = counts;
        }

        BucketCounts dirty() {
            dirty = true;
            return counts;
        }
    }

    private record Parsed(byte[] raw, WatchedRollout rollout) {
    }

    /**
     * The active watches, read from the global store at most every {@link #WATCH_REFRESH_MILLIS} of wall time (and at
     * each timed flush): opening an iterator on a store registers and removes a JMX metric in Kafka Streams 4, which
     * done per record took a tenth of the stream thread (JFR). The global store itself follows the watches topic on
     * its own thread, so a watch was never seen at an exact record anyway; a second later changes nothing counted
     * (counting does not depend on the shares, and a rollout's traffic starts after its watch is written).
     */
    private List<WatchedRollout> active() {
        long now = context.currentSystemTimeMs();
        if (activeCache == null || now - activeReadAt >= WATCH_REFRESH_MILLIS) {
            activeCache = readActive();
            activeReadAt = now;
        }
        return activeCache;
    }

    private List<WatchedRollout> readActive() {
        List<WatchedRollout> active = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = watches.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                WatchedRollout w = parse(kv.key, kv.value);
                if (w != null && w.watch().getActive()) {
                    active.add(w);
                }
            }
        }
        return active;
    }

    /** The parsed form of a watch, cached per version; null (and counted once) for a watch that cannot be read. */
    private WatchedRollout parse(String rolloutId, byte[] raw) {
        Parsed cached = parsed.get(rolloutId);
        // The in-memory global store hands back the array it holds: the same array is the same watch, and comparing
        // the bytes of a watch of hundreds of guardrails for every record is only needed after it changed.
        if (cached != null && (cached.raw() == raw || Arrays.equals(cached.raw(), raw))) {
            return cached.rollout();
        }
        WatchedRollout fresh = null;
        RolloutWatch w = GuardrailTopology.parseWatch(raw);
        try {
            fresh = w == null ? null : WatchedRollout.of(w);
        } catch (IllegalArgumentException e) {
            fresh = null;
        }
        if (fresh == null) {
            // Counted once per version: the rollout service validates plans before it writes a watch.
            counters.invalidWatches().incrementAndGet();
        }
        parsed.put(rolloutId, new Parsed(raw, fresh));
        return fresh;
    }
}
