package io.vigil.guardrail.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import com.google.protobuf.InvalidProtocolBufferException;

import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.aggregation.state.JoinedOutcome;
import io.vigil.guardrail.aggregation.state.RolloutDelta;
import io.vigil.guardrail.aggregation.state.RolloutWatch;

/**
 * Turns each decision and each joined outcome into one delta per rollout it concerns, keyed by rollout id, so the
 * rollout's buckets and its evaluation live in exactly one task (one instance acts for a rollout). Runs where the
 * decisions are (partitioned by transaction id) and reads the watched rollouts from a global store.
 *
 * <p>Kafka Streams has no watermarks, and the evaluating task hears from every upstream task at its own pace (one may
 * be minutes of event time ahead of another, or restoring after a rebalance). So each upstream task also sends every
 * watched rollout a watermark whenever its progress crosses a minute: how far, in event time, it has processed its
 * decisions and joined outcomes. It sends it after the deltas it covers, on the same partition, so the evaluator, which
 * judges a minute only once every upstream partition's watermark has passed it, has every delta of that minute.
 */
final class RolloutDeltaProcessor implements Processor<String, byte[], String, byte[]> {

    static final long BUCKET_MILLIS = 60_000;

    private final StreamCounters counters;
    /** Per rollout id: the watch's bytes as last seen and what they parsed to (null: could not be read). */
    private final Map<String, Parsed> parsed = new HashMap<>();
    private ProcessorContext<String, byte[]> context;
    private ReadOnlyKeyValueStore<String, byte[]> watches;
    private int partition;
    /** Event time of the newest decision / joined outcome this task processed; MIN_VALUE before the first. */
    private long decisionProgress = Long.MIN_VALUE;
    private long outcomeProgress = Long.MIN_VALUE;
    private long sentWatermark = Long.MIN_VALUE;

    RolloutDeltaProcessor(StreamCounters counters) {
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.watches = context.getStateStore(GuardrailTopology.ROLLOUTS_STORE);
        this.partition = context.taskId().partition();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // Decisions come from the source, joined outcomes from the join, marked.
        boolean decision = record.headers().lastHeader(JoinProcessor.JOINED_HEADER) == null;
        DecisionProjection d;
        int outcomeKind = 0;
        try {
            if (decision) {
                d = Projections.of(DecisionMade.parseFrom(record.value()));
            } else {
                JoinedOutcome j = JoinedOutcome.parseFrom(record.value());
                d = j.getDecision();
                outcomeKind = j.getOutcomeKind();
            }
        } catch (InvalidProtocolBufferException | NullPointerException e) {
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
            long[] exposed = decision ? w.exposedWords(d) : null;
            long[] events = decision ? w.decisionEventWords(d, exposed) : w.outcomeEventWords(d, outcomeKind);
            if (!decision && isZero(events)) {
                continue;
            }
            RolloutDelta.Builder delta = RolloutDelta.newBuilder().setRolloutId(w.watch().getRolloutId())
                    .setBucketStartMillis(bucket).setTreatment(arm > 0).setDecision(decision);
            for (int i = 0; i < events.length; i++) {
                delta.addExposedWords(exposed == null ? 0 : exposed[i]).addEventWords(events[i]);
            }
            context.forward(new Record<>(w.watch().getRolloutId(), delta.build().toByteArray(), bucket));
        }
        if (decision) {
            decisionProgress = Math.max(decisionProgress, d.getPaymentTimeMillis());
        } else {
            outcomeProgress = Math.max(outcomeProgress, record.timestamp());
        }
        sendWatermark(active);
    }

    /**
     * The task's progress: the older of its decisions' and its joined outcomes' (a stream not seen yet does not hold
     * it back, or a service without outcome producers would never be judged), floored to the minute.
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
        for (WatchedRollout w : active) {
            RolloutDelta mark = RolloutDelta.newBuilder().setRolloutId(w.watch().getRolloutId())
                    .setWatermarkMillis(minute).setSourcePartition(partition).build();
            context.forward(new Record<>(w.watch().getRolloutId(), mark.toByteArray(), minute));
        }
    }

    private static boolean isZero(long[] words) {
        for (long w : words) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    private record Parsed(byte[] raw, WatchedRollout rollout) {
    }

    private List<WatchedRollout> active() {
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
        if (cached != null && Arrays.equals(cached.raw(), raw)) {
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
        parsed.put(rolloutId, new Parsed(raw.clone(), fresh));
        return fresh;
    }
}
