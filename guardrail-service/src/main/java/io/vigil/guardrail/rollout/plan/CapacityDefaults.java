package io.vigil.guardrail.rollout.plan;

import java.time.Duration;

import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * The capacities a plan's REVIEW_QUEUE_LOAD and STEP_UP_BUDGET guardrails get when they name none (from
 * {@code guardrail.capacity.*}), per {@code period}. Written into the plan when the rollout is created, so a later
 * change of configuration does not move the limits of rollouts already running (an operator changes those over REST).
 */
public record CapacityDefaults(double reviewQueue, double stepUpBudget, Duration period) {

    public CapacityDefaults {
        if (!(reviewQueue > 0) || !(stepUpBudget > 0) || Double.isInfinite(reviewQueue)
                || Double.isInfinite(stepUpBudget)) {
            throw new IllegalArgumentException("guardrail.capacity: the review-queue capacity and the step-up budget "
                    + "must be > 0, got " + reviewQueue + " and " + stepUpBudget);
        }
        if (period == null || period.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("guardrail.capacity.period: at least a minute, got " + period);
        }
    }

    public double perPeriod(GuardrailMetric metric) {
        return metric == GuardrailMetric.STEP_UP_BUDGET ? stepUpBudget : reviewQueue;
    }
}
