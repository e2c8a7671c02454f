package io.vigil.guardrail.rollout.plan;

import io.vigil.guardrail.evaluation.GuardrailAction;
import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * A guardrail as planned: metric on a cohort (canonical expression), what a breach does, and either its margin with
 * unit (judged against the control arm) or its limit (a capacity or a ceiling; {@code margin} is then null).
 */
public record PlanGuardrail(String name, GuardrailMetric metric, String cohort, Margin margin, GuardrailAction action,
        Limit limit) {

    public PlanGuardrail(String name, GuardrailMetric metric, String cohort, Margin margin, GuardrailAction action) {
        this(name, metric, cohort, margin, action, null);
    }

    /** The margin in the evaluator's units: 0 for a guardrail judged against its limit. */
    public double marginInMetricUnits() {
        return margin == null ? 0 : margin.inMetricUnits();
    }
}
