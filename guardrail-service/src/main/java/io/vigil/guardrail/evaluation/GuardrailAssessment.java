package io.vigil.guardrail.evaluation;

import java.util.List;

import io.vigil.guardrail.statistics.ArmComparison.Judgement;
import io.vigil.guardrail.statistics.Interval;

/**
 * One guardrail's assessment: its judgement and what it rests on, i.e. the harm interval (in the metric's bad
 * direction and units), the margin, the exposure per arm and, when it cannot pass yet, what is missing; for a metric
 * of delayed labels, the share of its labels expected by now ({@code labelMaturity}, NaN for other metrics); for a
 * guardrail judged against a limit of its own, what was projected against it ({@code limitCheck}, null otherwise).
 */
public record GuardrailAssessment(Guardrail guardrail, Judgement judgement, double estimate, Interval harm,
        long treatmentExposure, long controlExposure, double alpha, String missing, double labelMaturity,
        LimitCheck limitCheck) {

    public GuardrailAssessment(Guardrail guardrail, Judgement judgement, double estimate, Interval harm,
            long treatmentExposure, long controlExposure, double alpha, String missing, double labelMaturity) {
        this(guardrail, judgement, estimate, harm, treatmentExposure, controlExposure, alpha, missing, labelMaturity,
                null);
    }

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

    /** Why promoting would surely exceed the guardrail's limit (the step must hold), or null. */
    public String blocksPromotion() {
        return limitCheck == null ? null : limitCheck.blocksPromotion();
    }

    /**
     * A guardrail judged against its own limit: the limit (events per period, or a rate), its period (0 for a
     * ceiling), the decisions observed per period (both arms, in the cohort; 0 for a ceiling), the value projected
     * now ({@code projections[0]}: at the current share; for a ceiling, the treatment arm's rate) and ahead (the next
     * step's share, then all traffic), and why promotion would surely exceed it, or null.
     */
    public record LimitCheck(double limit, long periodMillis, double decisionsPerPeriod, List<Projection> projections,
            String blocksPromotion) {
        public LimitCheck {
            projections = List.copyOf(projections);
        }

        public Projection current() {
            return projections.get(0);
        }
    }

    /** A value projected at a treatment share: its estimate and the bounds of the sequences it rests on. */
    public record Projection(double share, double estimate, double lower, double upper) {
    }
}
