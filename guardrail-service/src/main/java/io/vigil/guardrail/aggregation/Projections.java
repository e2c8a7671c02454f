package io.vigil.guardrail.aggregation;

import java.util.Arrays;

import io.vigil.contracts.events.v1.ArmScore;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.aggregation.state.ScoredArm;

/** Projects a decision event onto what the join keeps of it. */
public final class Projections {

    private Projections() {
    }

    public static DecisionProjection of(DecisionMade d) {
        long time = ProtoTime.toInstant(d.hasPaymentCreatedAt() ? d.getPaymentCreatedAt() : d.getDecidedAt())
                .toEpochMilli();
        DecisionProjection.Builder p = DecisionProjection.newBuilder()
                .setDecisionId(d.getDecisionId())
                .setArm(d.getArmValue())
                .setModelVersion(d.getModelVersion())
                .setPolicyVersion(d.getPolicyVersion())
                .setDecision(d.getDecisionValue())
                .setFallback(d.getFallback())
                .setFallbackCause(d.getFallbackCauseValue())
                .setPaymentTimeMillis(time)
                .setRoutedArm(d.getRoutedArmValue())
                .setRoutedModelVersion(d.getRoutedModelVersion())
                .setScoreLatencyMicros(d.hasTimings() ? Math.max(0, d.getTimings().getTotalUs()) : 0)
                .addAllAttributes(Arrays.asList(DecisionAttribute.of(d.getAttributes())));
        if (d.getAttributes().hasAmountUsd()) {
            p.setAmountUsd(d.getAttributes().getAmountUsd());
        }
        for (ArmScore a : d.getArmScoresList()) {
            p.addArmScores(ScoredArm.newBuilder().setModelVersion(a.getModelVersion()).setRole(a.getRoleValue())
                    .setScore(a.getScore()).setDecided(a.getDecided()));
        }
        return p.build();
    }

    /** An attribute of a stored projection; "" when unknown or written before the attribute existed. */
    public static String attribute(DecisionProjection p, DecisionAttribute a) {
        return a.ordinal() < p.getAttributesCount() ? p.getAttributes(a.ordinal()) : "";
    }
}
