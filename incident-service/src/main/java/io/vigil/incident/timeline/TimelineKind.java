package io.vigil.incident.timeline;

/** What a timeline entry records. */
public enum TimelineKind {
    /** A rollback verdict or a cohort monitor alarm (folded per series). */
    ALARM,
    /** Other verdicts: continue, promote, hold, monitor recovered. */
    VERDICT,
    FEATURE_HEALTH,
    /** Rollout steps, pauses, rollbacks; model and policy activations. */
    ROLLOUT,
    /** A service instance started (deploy marker). */
    DEPLOY,
    SEVERITY,
    STATE,
    NOTE,
    ROLE,
    DECISION,
    MITIGATION,
    ALL_CLEAR
}
