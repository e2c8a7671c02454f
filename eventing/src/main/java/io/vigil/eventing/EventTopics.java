package io.vigil.eventing;

/**
 * Kafka topic names, {@code vigil.<stream>.v1}. A breaking change to a stream's payload gets a new {@code v2} topic,
 * never a changed {@code v1}.
 */
public final class EventTopics {

    /** ServiceStarted: deploy markers for incident timelines. */
    public static final String SERVICE_LIFECYCLE = "vigil.service-lifecycle.v1";
    /** Every scoring decision, with the features as used and every arm's score. */
    public static final String DECISIONS = "vigil.decisions.v1";
    /** Upstream feature values on their way into feature-service. */
    public static final String FEATURE_UPDATES = "vigil.feature-updates.v1";
    /** Feature health alarms and recoveries, per feature and segment. */
    public static final String FEATURE_HEALTH = "vigil.feature-health.v1";
    /** Payment outcomes: orders, step-up results, chargebacks, reviews. */
    public static final String OUTCOMES = "vigil.outcomes.v1";
    /** Guardrail verdicts on a rollout: keep, ramp, roll back. */
    public static final String VERDICTS = "vigil.verdicts.v1";
    /** Rollout state changes (steps, pauses, sign-offs, rollbacks), after they are recorded: incident timelines. */
    public static final String ROLLOUTS = "vigil.rollouts.v1";
    /** Closed event-time windows of watched cohorts' rates: all-clear criteria read them. */
    public static final String COHORT_METRICS = "vigil.cohort-metrics.v1";

    private EventTopics() {
    }
}
