package io.vigil.guardrail.aggregation;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vigil.contracts.events.v1.VerdictKind;

/**
 * What the guardrail topology did since this instance started, for metrics and tests: nothing it drops or delays goes
 * uncounted. Join: buffered = outcomes that arrived before their decision, unmatched = those whose decision never came.
 * Rollouts: decisions counted into a rollout's buckets, deltas that reached a bucket after it was first evaluated
 * (late: counted in the next evaluations, not lost), invalid watches skipped, verdicts issued (also per kind),
 * finished rollouts whose buckets were dropped; decision projections dropped past their retention.
 * Monotonic counters; what is waiting right now is the pending store's size. One instance per topology, shared by its
 * stream threads.
 */
public record StreamCounters(AtomicLong joined, AtomicLong duplicateOutcomes, AtomicLong duplicateDecisions,
        AtomicLong conflictingDecisions, AtomicLong bufferedOutcomes, AtomicLong unmatched, AtomicLong undecodable,
        AtomicLong invalidWatches, AtomicLong verdicts, AtomicLong bucketedDecisions, AtomicLong lateDeltas,
        AtomicLongArray verdictsByKind, AtomicLong evaluations, AtomicLong evaluationNanos,
        AtomicLong maxEvaluationNanos, AtomicLong rolloutsDropped, AtomicLong decisionsExpired) {

    public StreamCounters() {
        this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new AtomicLong(), new AtomicLongArray(VerdictKind.values().length), new AtomicLong(),
                new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
    }

    /** One rollout minute judged (all its guardrails), taking {@code nanos} of wall time: for metrics and the bench. */
    void evaluated(long nanos) {
        evaluations.incrementAndGet();
        evaluationNanos.addAndGet(nanos);
        maxEvaluationNanos.accumulateAndGet(nanos, Math::max);
    }

    void verdictIssued(VerdictKind kind) {
        verdicts.incrementAndGet();
        verdictsByKind.incrementAndGet(kind.ordinal());
    }

    /** Verdicts of one kind issued by this instance. */
    public long verdicts(VerdictKind kind) {
        return verdictsByKind.get(kind.ordinal());
    }
}
