package io.vigil.guardrail.rollout.events;

import java.time.Duration;
import java.util.List;

import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.guardrail.rollout.plan.PlanGuardrail;
import io.vigil.guardrail.rollout.plan.PlanStep;
import io.vigil.guardrail.rollout.plan.RolloutPlan;

/**
 * A rollout as the streaming topology watches it ({@code RolloutWatch}, read by {@code WatchedRollout}): one share
 * change per step that has gone live (its start in event time), every step's planned share (what a capacity is
 * projected at next), every guardrail with its margin in the metric's units (or its capacity and period, or its
 * ceiling) and the current step's minimum exposure, and the current step's minimum duration.
 */
public final class WatchMapper {

    private WatchMapper() {
    }

    /**
     * @param stepStarts event-time start (epoch millis) of each step that has gone live, in step order; the last is the
     *                   current step
     * @param active     false once the rollout is no longer watched (rolling back, over)
     */
    public static RolloutWatch watch(String rolloutId, RolloutPlan plan, List<Long> stepStarts, boolean active,
            Duration settle, long plannedDecisions) {
        if (!plan.movesModel()) {
            throw new IllegalArgumentException("a policy-only rollout has no treatment arm to watch");
        }
        int current = Math.max(0, stepStarts.size() - 1);
        PlanStep step = plan.steps().get(current);
        RolloutWatch.Builder w = RolloutWatch.newBuilder()
                .setRolloutId(rolloutId)
                .setTreatmentModelVersion(plan.modelVersion())
                .setActive(active)
                .setAlpha(plan.alpha())
                .setMinimumStepMillis(step.minimumDuration().toMillis())
                .setSettleMillis(settle.toMillis())
                .setPlannedDecisions(plannedDecisions);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < stepStarts.size(); i++) {
            // Two promotions within one millisecond would give equal starts, which the watch refuses: keep them apart.
            long from = Math.max(stepStarts.get(i), previous == Long.MIN_VALUE ? Long.MIN_VALUE : previous + 1);
            w.addShares(ShareChange.newBuilder().setFromMillis(from).setShare(plan.steps().get(i).share()));
            previous = from;
        }
        for (PlanStep s : plan.steps()) {
            w.addPlannedShares(s.share());
        }
        for (PlanGuardrail g : plan.guardrails()) {
            WatchedGuardrail.Builder b = WatchedGuardrail.newBuilder()
                    .setName(g.name())
                    .setMetric(g.metric().name())
                    .setCohort(g.cohort())
                    .setMargin(g.marginInMetricUnits())
                    .setAction(g.action().name())
                    .setMinimumExposurePerArm(step.minimumExposure());
            if (g.limit() != null) {
                b.setLimit(g.limit().value());
                if (g.limit().isCapacity()) {
                    b.setPeriodMillis(g.limit().period().toMillis());
                }
            }
            w.addGuardrails(b);
        }
        return w.build();
    }
}
