package io.vigil.guardrail.evaluation;

/** What a breach of a guardrail does to the rollout. */
public enum GuardrailAction {
    /** Restore the previous line-up. */
    ROLLBACK,
    /** Tell the operators and hold the ramp where it is; keep the traffic split. */
    ALERT
}
