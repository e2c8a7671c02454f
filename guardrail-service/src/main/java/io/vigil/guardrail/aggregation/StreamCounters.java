package io.vigil.guardrail.aggregation;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.ConcurrentHistogram;

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
        AtomicLong maxEvaluationNanos, AtomicLong rolloutsDropped, AtomicLong decisionsExpired,
        ConcurrentHistogram evaluationMicros, AtomicLong slowestEvaluation) {

    /** Evaluation times are recorded up to a minute, to 3 significant digits. */
    static final long MAX_EVALUATION_MICROS = 60_000_000L;

    public StreamCounters() {
        this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new AtomicLong(), new AtomicLongArray(VerdictKind.values().length), new AtomicLong(),
                new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new ConcurrentHistogram(MAX_EVALUATION_MICROS, 3), new AtomicLong());
    }

    /**
     * One rollout minute judged (all its guardrails), taking {@code nanos} of wall time: for metrics and the bench
     * (mean, max and, from the histogram, percentiles).
     */
    void evaluated(long nanos) {
        long n = evaluations.incrementAndGet();
        evaluationNanos.addAndGet(nanos);
        if (nanos > maxEvaluationNanos.getAndAccumulate(nanos, Math::max)) {
            slowestEvaluation.set(n); // which one (1 = the first): a cold start, or a rollout's age?
        }
        evaluationMicros.recordValue(Math.min(MAX_EVALUATION_MICROS, Math.max(0, nanos / 1000)));
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
