package io.vigil.guardrail.analysis;

import org.apache.commons.math3.distribution.NormalDistribution;

import io.vigil.guardrail.statistics.Interval;

/**
 * A rate observed as events out of trials, with its Wilson score interval. Wilson rather than Wald: it stays inside
 * [0, 1] and keeps its coverage for the rare rates these analyses are about (2-3% incorrect approvals); at seed 000's
 * volume the two agree to the second decimal of a percent. With no trials the rate is unknown, never 0.
 */
public record RateEstimate(long events, long trials, double rate, Interval interval, double confidence) {

    public static RateEstimate of(long events, long trials, double confidence) {
        if (trials < 0 || events < 0 || events > trials) {
            throw new IllegalArgumentException("need 0 <= events <= trials, got " + events + " of " + trials);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        }
        if (trials == 0) {
            return new RateEstimate(0, 0, Double.NaN, new Interval(0, 1), confidence);
        }
        double z = z(confidence);
        double n = trials;
        double p = events / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new RateEstimate(events, trials, p, new Interval(Math.max(0, centre - half), Math.min(1, centre + half)),
                confidence);
    }

    /** Two-sided standard normal quantile for this confidence: 1.959964 for 95%. */
    static double z(double confidence) {
        return new NormalDistribution().inverseCumulativeProbability(0.5 + confidence / 2);
    }

    public boolean hasData() {
        return trials > 0;
    }
}
