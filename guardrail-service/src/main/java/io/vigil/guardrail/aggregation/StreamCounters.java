package io.vigil.guardrail.aggregation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the guardrail topology did since this instance started, for metrics and tests: nothing it drops or delays goes
 * uncounted. Join: buffered = outcomes that arrived before their decision, unmatched = those whose decision never came.
 * Rollouts: invalid watches skipped, verdicts issued. Monotonic counters; what is waiting right now is the pending
 * store's size. One instance per topology, shared by its stream threads.
 */
public record StreamCounters(AtomicLong joined, AtomicLong duplicateOutcomes, AtomicLong duplicateDecisions,
        AtomicLong conflictingDecisions, AtomicLong bufferedOutcomes, AtomicLong unmatched, AtomicLong undecodable,
        AtomicLong invalidWatches, AtomicLong verdicts) {

    public StreamCounters() {
        this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
    }
}
