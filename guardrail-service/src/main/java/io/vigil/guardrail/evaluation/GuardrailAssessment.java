package io.vigil.guardrail.evaluation;

import io.vigil.guardrail.statistics.ArmComparison.Judgement;
import io.vigil.guardrail.statistics.Interval;

/**
 * One guardrail's assessment: its judgement and what it rests on, i.e. the harm interval (in the metric's bad
 * direction and units), the margin, the exposure per arm and, when it cannot pass yet, what is missing; for a metric
 * of delayed labels, the share of its labels expected by now ({@code labelMaturity}, NaN for other metrics).
 */
public record GuardrailAssessment(Guardrail guardrail, Judgement judgement, double estimate, Interval harm,
        long treatmentExposure, long controlExposure, double alpha, String missing, double labelMaturity) {

    public GuardrailAssessment(Guardrail guardrail, Judgement judgement, double estimate, Interval harm,
            long treatmentExposure, long controlExposure, double alpha, String missing) {
        this(guardrail, judgement, estimate, harm, treatmentExposure, controlExposure, alpha, missing, Double.NaN);
    }

    public boolean breached() {
        return judgement == Judgement.HARMFUL;
    }

    public boolean passed() {
        return judgement == Judgement.NON_INFERIOR;
    }
}
