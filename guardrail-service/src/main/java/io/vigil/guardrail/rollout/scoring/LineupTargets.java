package io.vigil.guardrail.rollout.scoring;

import io.vigil.guardrail.rollout.plan.RolloutPlan;

/**
 * The line-ups a rollout asks scoring-service for, from the line-up it found ({@code before}): a step (the target
 * model as challenger at the step's share, the target policy active), the completion (the target model champion) and
 * the restore ({@link LineupChange#restore}). What the plan does not move stays as it was before.
 */
public final class LineupTargets {

    private LineupTargets() {
    }

    public static LineupChange step(RolloutPlan plan, double share, Lineup before, String reason,
            String expectedRevision) {
        return new LineupChange(before.championModelVersion(),
                plan.movesModel() ? plan.modelVersion() : before.challengerModelVersion(),
                plan.movesModel() ? share : before.challengerShare(), null,
                plan.movesPolicy() ? plan.policyVersion() : before.policyVersion(), reason, expectedRevision);
    }

    public static LineupChange completion(RolloutPlan plan, Lineup before, String reason) {
        return new LineupChange(plan.movesModel() ? plan.modelVersion() : before.championModelVersion(),
                plan.movesModel() ? null : before.challengerModelVersion(),
                plan.movesModel() ? 0.0 : before.challengerShare(), null,
                plan.movesPolicy() ? plan.policyVersion() : before.policyVersion(), reason, null);
    }

    /** Whether {@code served} already is what {@code change} asks for (shadows aside: a change keeps them). */
    public static boolean serves(Lineup served, LineupChange change) {
        return served != null && java.util.Objects.equals(served.championModelVersion(), change.championModelVersion())
                && java.util.Objects.equals(served.challengerModelVersion(), change.challengerModelVersion())
                && (change.challengerModelVersion() == null || served.challengerShare() == change.challengerShare())
                && java.util.Objects.equals(served.policyVersion(), change.policyVersion());
    }
}
