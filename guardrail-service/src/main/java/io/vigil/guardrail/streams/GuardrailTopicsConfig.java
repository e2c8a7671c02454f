package io.vigil.guardrail.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The topics of guardrail-service's topology, under {@code guardrail.topics.*}. Inputs and the verdicts are the
 * suite's public streams (eventing's EventTopics); the others belong to this service. The topology's pass-through
 * topics default to names prefixed with the Kafka Streams application id, so a replay under a new application id
 * gets topics of its own instead of reading the first run's.
 */
@ConfigMapping(prefix = "guardrail.topics")
public interface GuardrailTopicsConfig {

    /** vigil.events.v1.DecisionMade, keyed by transaction id. */
    @WithDefault("vigil.decisions.v1")
    String decisions();

    /** vigil.events.v1.OutcomeRecorded, keyed by transaction id (same partition count as the decisions). */
    @WithDefault("vigil.outcomes.v1")
    String outcomes();

    /** Compacted; key rollout id, value the internal RolloutWatch; written by the rollouts, read into a global store. */
    @WithDefault("vigil.guardrail.rollout-watches")
    String rolloutWatches();

    /** vigil.events.v1.VerdictIssued out, keyed by rollout id, with CloudEvents headers. */
    @WithDefault("vigil.verdicts.v1")
    String verdicts();

    /** Outcomes joined with their decision's projection, keyed by transaction id. */
    @WithDefault("${quarkus.kafka-streams.application-id}.joined-outcomes")
    String joinedOutcomes();

    /** Outcomes whose decision never came within the join wait. */
    @WithDefault("${quarkus.kafka-streams.application-id}.unmatched-outcomes")
    String unmatchedOutcomes();

    /** Per-rollout deltas, keyed by rollout id: the hop that gives each rollout one owning task. */
    @WithDefault("${quarkus.kafka-streams.application-id}.rollout-deltas")
    String rolloutDeltas();
}
