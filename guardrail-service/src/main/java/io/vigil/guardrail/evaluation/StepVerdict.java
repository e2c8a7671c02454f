package io.vigil.guardrail.evaluation;

import java.util.List;

/** The verdict on a rollout's current step, with the reason in words and every guardrail's evidence. */
public record StepVerdict(Kind kind, String reason, List<GuardrailAssessment> evidence) {

    public enum Kind {
        /** Keep the step running: nothing breached, and the step's minimum duration has not passed. */
        CONTINUE,
        /** Every guardrail passed with its minimum exposure, after the minimum duration: ramp to the next step. */
        PROMOTE_STEP,
        /** Stay at this share: evidence is insufficient (named), the split is broken, or an alert-only breach. */
        HOLD,
        /** A guardrail whose action is rollback was breached: restore the previous line-up. */
        ROLLBACK
    }

    public StepVerdict {
        evidence = List.copyOf(evidence);
    }
}
