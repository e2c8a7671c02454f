package io.vigil.guardrail.aggregation;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
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
 */
final class RolloutDeltaProcessor implements Processor<String, byte[], String, byte[]> {

    static final long BUCKET_MILLIS = 60_000;

    private final String decisionsTopic;
    private final StreamCounters counters;
    private final Map<String, WatchedRollout> parsed = new HashMap<>();
    private final Map<String, RolloutWatch> invalid = new HashMap<>();
    private ProcessorContext<String, byte[]> context;
    private ReadOnlyKeyValueStore<String, RolloutWatch> watches;

    RolloutDeltaProcessor(String decisionsTopic, StreamCounters counters) {
        this.decisionsTopic = decisionsTopic;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.watches = context.getStateStore(GuardrailTopology.ROLLOUTS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        boolean decision = context.recordMetadata().map(RecordMetadata::topic).orElse("").equals(decisionsTopic);
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
        try (KeyValueIterator<String, RolloutWatch> all = watches.all()) {
            while (all.hasNext()) {
                KeyValue<String, RolloutWatch> kv = all.next();
                WatchedRollout w = parse(kv.value);
                if (w == null || !w.watch().getActive()) {
                    continue;
                }
                int arm = w.armOf(d);
                if (arm == 0) {
                    continue;
                }
                long exposed = decision ? w.exposedMask(d) : 0;
                long events = decision ? w.decisionEventMask(d, exposed) : w.outcomeEventMask(d, outcomeKind);
                if (!decision && events == 0) {
                    continue;
                }
                RolloutDelta delta = RolloutDelta.newBuilder().setRolloutId(w.watch().getRolloutId())
                        .setBucketStartMillis(bucket).setTreatment(arm > 0).setExposedMask(exposed)
                        .setEventMask(events).setDecision(decision).build();
                context.forward(new Record<>(w.watch().getRolloutId(), delta.toByteArray(), bucket));
            }
        }
    }

    /** The parsed form of a watch, cached per version; null (and counted) for a watch that cannot be read. */
    private WatchedRollout parse(RolloutWatch w) {
        WatchedRollout cached = parsed.get(w.getRolloutId());
        if (cached != null && cached.watch().equals(w)) {
            return cached;
        }
        if (w.equals(invalid.get(w.getRolloutId()))) {
            return null;
        }
        try {
            WatchedRollout fresh = WatchedRollout.of(w);
            parsed.put(w.getRolloutId(), fresh);
            return fresh;
        } catch (IllegalArgumentException e) {
            // Counted once per version: the rollout service validates plans before it writes a watch.
            invalid.put(w.getRolloutId(), w);
            counters.invalidWatches().incrementAndGet();
            return null;
        }
    }
}
