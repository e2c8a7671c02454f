package io.vigil.guardrail.rollout.state;

import java.util.List;

import io.vigil.guardrail.rollout.plan.RolloutPlan;
import io.vigil.guardrail.rollout.store.Rollout;
import io.vigil.guardrail.rollout.store.RolloutStep;

/** A rollout read under its row lock, with its steps (in order) and its plan. */
public record Locked(Rollout rollout, List<RolloutStep> steps, RolloutPlan plan) {

    public RolloutStep step() {
        return steps.get(rollout.stepIndex);
    }

    /** The treatment's share in force in a state (0 before anything is applied and after a restore, 1 when done). */
    public double shareIn(RolloutState state, int stepIndex) {
        return switch (state) {
            case PENDING, ROLLED_BACK, ABORTED -> 0.0;
            case COMPLETED -> 1.0;
            default -> steps.get(stepIndex).share;
        };
    }

    /** Event-time starts (epoch millis) of the steps that went live, up to the current one. */
    public List<Long> stepStarts() {
        return steps.stream().filter(s -> s.stepIndex <= rollout.stepIndex && s.startedAt != null)
                .map(s -> s.startedAt.toInstant().toEpochMilli()).toList();
    }
}
