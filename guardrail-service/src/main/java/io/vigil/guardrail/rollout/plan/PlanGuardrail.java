package io.vigil.guardrail.rollout.plan;

import io.vigil.guardrail.evaluation.GuardrailAction;
import io.vigil.guardrail.evaluation.GuardrailMetric;

/** A guardrail as planned: metric on a cohort (canonical expression), its margin with unit, what a breach does. */
public record PlanGuardrail(String name, GuardrailMetric metric, String cohort, Margin margin, GuardrailAction action) {
}
