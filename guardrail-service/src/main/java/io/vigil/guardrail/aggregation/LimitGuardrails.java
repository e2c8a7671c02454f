package io.vigil.guardrail.aggregation;

import io.vigil.contracts.events.v1.LimitEvidence;
import io.vigil.contracts.events.v1.LimitProjection;
import io.vigil.guardrail.evaluation.GuardrailAssessment;
import io.vigil.guardrail.evaluation.GuardrailData;

/**
 * What the evaluation of a rollout adds for guardrails judged against a limit of their own, kept out of the folding
 * loop: a LOAD guardrail's data from its folded counts, and the limit's evidence on the verdict.
 */
final class LimitGuardrails {

    private LimitGuardrails() {
    }

    /**
     * A LOAD guardrail's data at minute {@code limit}: its counts were folded from the rollout's first whole minute
     * (the buckets the evaluation reads) up to {@code limit}, so that is the event time the volume was observed in;
     * projected at the share in force then and at the next step's.
     */
    static GuardrailData.Load load(GuardrailData.ArmRates counts, WatchedRollout rollout, long limit) {
        long bucket = RolloutDeltaProcessor.BUCKET_MILLIS;
        long firstBucket = Math.floorDiv(rollout.start() + bucket - 1, bucket) * bucket;
        double share = rollout.shareAt(limit);
        return new GuardrailData.Load(counts, Math.max(0, limit - firstBucket), share,
                Math.max(share, rollout.nextShareAt(limit)));
    }

    static LimitEvidence of(GuardrailAssessment.LimitCheck c) {
        LimitEvidence.Builder b = LimitEvidence.newBuilder()
                .setLimit(c.limit())
                .setPeriodSeconds(c.periodMillis() / 1000)
                .setDecisionsPerPeriod(c.decisionsPerPeriod())
                .setBlocksPromotion(c.blocksPromotion() == null ? "" : c.blocksPromotion());
        for (GuardrailAssessment.Projection p : c.projections()) {
            b.addProjections(LimitProjection.newBuilder().setShare(p.share()).setEstimate(p.estimate())
                    .setLower(p.lower()).setUpper(p.upper()));
        }
        return b.build();
    }
}
