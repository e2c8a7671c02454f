package io.vigil.guardrail.statistics;

/**
 * An exact confidence sequence for the ratio of two arms' rates of a rare event (chargebacks, confirmed fraud,
 * model errors), from the events alone: a handful of chargebacks gets an honest, wide interval, never a normal
 * approximation.
 *
 * <p>Construction: condition on the events. If the treatment arm gets a share p of the traffic and its event rate is
 * theta times control's, each event falls on treatment with probability pi = theta p / (theta p + 1 - p), independently
 * of the others. The {@link BernoulliConfidenceSequence} of pi from (events on treatment, all events) is exact and
 * valid at every look; theta = pi (1 - p) / (p (1 - pi)) is increasing in pi, so mapping its ends gives the interval for
 * theta with the same guarantee. The share must stay fixed while the sequence runs: a ramp step that changes it starts
 * a new sequence (the steps' verdicts are then combined by the rollout's error budget).
 */
public final class RateRatioConfidenceSequence {

    private final BernoulliConfidenceSequence allocation;

    public RateRatioConfidenceSequence(BernoulliConfidenceSequence allocation) {
        this.allocation = allocation;
    }

    /** A prior centred on "no difference" at this share: pi = p, worth 10 events. */
    public static RateRatioConfidenceSequence forShare(double treatmentShare) {
        return new RateRatioConfidenceSequence(BernoulliConfidenceSequence.centredOn(treatmentShare, 10));
    }

    /** The interval for treatment rate / control rate after these events, at level 1 - alpha. */
    public Interval interval(long treatmentEvents, long allEvents, double treatmentShare, double alpha) {
        if (!(treatmentShare > 0 && treatmentShare < 1)) {
            throw new IllegalArgumentException("treatment share must lie in (0, 1), got " + treatmentShare);
        }
        Interval pi = allocation.interval(treatmentEvents, allEvents, alpha);
        return new Interval(ratio(pi.lower(), treatmentShare), ratio(pi.upper(), treatmentShare));
    }

    static double ratio(double pi, double p) {
        if (pi <= 0) {
            return 0;
        }
        if (pi >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        return pi * (1 - p) / (p * (1 - pi));
    }
}
