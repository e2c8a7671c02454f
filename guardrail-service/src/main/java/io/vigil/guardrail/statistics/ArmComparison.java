package io.vigil.guardrail.statistics;

/**
 * Judges a treatment arm (challenger, new policy) against control on one guardrail metric with a non-inferiority
 * margin, from one confidence sequence per arm or one for their difference.
 *
 * <p>Harm is the difference in the metric's bad direction (treatment minus control when higher is worse, control minus
 * treatment when lower is worse), in the metric's own units: 0.005 is half a percentage point of conversion. If each
 * arm's sequence holds its true value with probability 1 - alpha/2 at all times, the difference of the intervals
 * holds the true harm with probability 1 - alpha at all times (union bound; no independence between arms is
 * needed). Then:
 * <ul>
 *   <li>{@link Judgement#HARMFUL}: the whole interval lies above the margin: the change is worse than the tolerated
 *       degradation, with the sequence's confidence. This is the breach that rolls back.</li>
 *   <li>{@link Judgement#NON_INFERIOR}: the whole interval lies below the margin: whatever harm there is, it is within
 *       tolerance. This is the evidence a promotion needs.</li>
 *   <li>{@link Judgement#INCONCLUSIVE}: not enough evidence either way, which is the honest answer early in a step
 *       and for a cohort with little traffic; it never becomes a pass by default.</li>
 * </ul>
 * A margin of 0 rolls back on any harm shown.
 */
public final class ArmComparison {

    public enum Direction {
        HIGHER_IS_WORSE, LOWER_IS_WORSE
    }

    public enum Judgement {
        HARMFUL, NON_INFERIOR, INCONCLUSIVE
    }

    /** The judgement and the interval it rests on. */
    public record Result(Interval harm, double margin, Judgement judgement) {
    }

    private ArmComparison() {
    }

    /** Judges from one interval per arm, each valid at alpha / 2. */
    public static Result judge(Interval treatment, Interval control, Direction direction, double margin) {
        return judgeDifference(treatment.minus(control), direction, margin);
    }

    /** Judges from an interval for treatment minus control (e.g. a {@link DifferenceConfidenceSequence}). */
    public static Result judgeDifference(Interval treatmentMinusControl, Direction direction, double margin) {
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin must be a finite number >= 0, got " + margin);
        }
        Interval harm = direction == Direction.HIGHER_IS_WORSE ? treatmentMinusControl
                : new Interval(-treatmentMinusControl.upper(), -treatmentMinusControl.lower());
        Judgement j;
        if (harm.lower() > margin) {
            j = Judgement.HARMFUL;
        } else if (harm.upper() < margin) {
            j = Judgement.NON_INFERIOR;
        } else {
            j = Judgement.INCONCLUSIVE;
        }
        return new Result(harm, margin, j);
    }
}
