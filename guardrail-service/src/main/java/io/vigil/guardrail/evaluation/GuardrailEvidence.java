package io.vigil.guardrail.evaluation;

import io.vigil.guardrail.statistics.ArmComparison.Judgement;
import io.vigil.guardrail.statistics.Interval;

/**
 * One guardrail's judgement with what it rests on: the harm interval (in the metric's bad direction, its units), the
 * margin, the exposure per arm and, when the judgement cannot pass the guardrail yet, what is missing.
 */
public record GuardrailEvidence(Guardrail guardrail, Judgement judgement, double estimate, Interval harm,
        long treatmentExposure, long controlExposure, double alpha, String missing) {

    public boolean breached() {
        return judgement == Judgement.HARMFUL;
    }

    public boolean passed() {
        return judgement == Judgement.NON_INFERIOR;
    }
}
