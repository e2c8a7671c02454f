package io.vigil.guardrail.rollout.plan;

import java.util.List;

/**
 * A validated rollout plan: what moves ({@code modelVersion} and/or {@code policyVersion}), the ramp, the guardrails
 * and the rollout's whole error budget. Only {@link PlanReader} builds one, so holding one means the plan can run
 * (apart from what only scoring-service can say: whether the target versions exist).
 */
public record RolloutPlan(String modelVersion, String policyVersion, List<PlanStep> steps,
        List<PlanGuardrail> guardrails, double alpha, String reason) {

    public RolloutPlan {
        steps = List.copyOf(steps);
        guardrails = List.copyOf(guardrails);
    }

    public boolean movesModel() {
        return modelVersion != null;
    }

    public boolean movesPolicy() {
        return policyVersion != null;
    }

    /** The target in words for messages, e.g. {@code model m-2 + policy p-2}. */
    public String targetText() {
        return (movesModel() ? "model " + modelVersion : "") + (movesModel() && movesPolicy() ? " + " : "")
                + (movesPolicy() ? "policy " + policyVersion : "");
    }
}
