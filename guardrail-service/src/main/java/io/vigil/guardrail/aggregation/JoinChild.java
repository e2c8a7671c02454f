package io.vigil.guardrail.aggregation;

import org.apache.kafka.streams.Topology;

/**
 * A further consumer of the join's output in the same task, beside the rollout deltas: it gets each decision the join
 * keeps (a {@code DecisionProjection}) and each joined outcome (a {@code JoinedOutcome}), as objects, in the order the
 * join saw them. The cohort monitors' fold is one: the same aggregation as the rollouts', keyed by monitor.
 */
public interface JoinChild {

    /** The processor's name in the topology. */
    String name();

    /** Adds the processor, with {@code joinProcessor} as its parent, and its stores. */
    void addTo(Topology topology, String joinProcessor, DecisionOutcomeJoin.StoreKind stores);
}
