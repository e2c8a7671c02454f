package io.vigil.guardrail.aggregation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the join did since this instance started, for metrics and tests: nothing it drops or delays goes uncounted
 * (buffered: outcomes that arrived before their decision; unmatched: those whose decision never came). Monotonic
 * counters; what is waiting right now is the pending store's size. One instance per topology, shared by its threads.
 */
public record JoinCounters(AtomicLong joined, AtomicLong duplicateOutcomes, AtomicLong duplicateDecisions,
        AtomicLong conflictingDecisions, AtomicLong bufferedOutcomes, AtomicLong unmatched, AtomicLong undecodable) {

    public JoinCounters() {
        this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                new AtomicLong(), new AtomicLong());
    }
}
