package io.vigil.guardrail.statistics;

import java.util.Arrays;

/**
 * Detects, as soon as the evidence allows, that a rate rose above its baseline (a cohort's incorrect-approval rate,
 * decline rate, fallback rate), with a bound on false alarms over a horizon however long the detector has run.
 *
 * <p>Construction: a Shiryaev-Roberts e-detector (Shin, Ramdas, Rinaldo, "E-detectors: a nonparametric framework for
 * sequential change detection", 2023) mixed over a few alternatives. For each alternative rate p1 = r p0 it keeps
 *
 * <pre>
 *   R_t = (R_{t-1} + [t is a restart point]) * L_t,     L_t = (p1/p0)^x ((1-p1)/(1-p0))^(n-x)
 * </pre>
 * for a bucket of x events in n trials, and the detector's statistic is the weighted mean of the R's. Under the
 * baseline each L has mean 1, so R minus the number of restart points so far is a martingale: E[R_t] = k_t. By Doob's
 * maximal inequality the chance that R ever reaches A before the horizon's k restart points have passed is at most
 * k / A. Restart points are where a change can be picked up from scratch (every hour of event time here: a change
 * at 00:00 is one); between them the statistic keeps accumulating, so a change inside an hour is caught from the
 * hour before at a small cost.
 */
public final class RateIncreaseDetector {

    private final double[] multipliers;
    private final double weight;

    /** @param multipliers the alternatives, as multiples of the baseline rate (each > 1), e.g. 1.25, 1.5, 2 */
    public RateIncreaseDetector(double... multipliers) {
        if (multipliers.length == 0) {
            throw new IllegalArgumentException("at least one alternative multiplier is needed");
        }
        for (double m : multipliers) {
            if (!(m > 1) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("alternative multipliers must be > 1, got " + m);
            }
        }
        this.multipliers = multipliers.clone();
        this.weight = 1.0 / multipliers.length;
    }

    /** The detector's state: log R per alternative, and the restart points passed. Immutable. */
    public record State(double[] logR, long restarts) {
        public State {
            logR = logR.clone();
        }
    }

    public State start() {
        double[] logR = new double[multipliers.length];
        Arrays.fill(logR, Double.NEGATIVE_INFINITY);
        return new State(logR, 0);
    }

    /** Folds one bucket of {@code events} in {@code trials} against baseline rate {@code p0}. */
    public State update(State s, long events, long trials, double p0, boolean restartPoint) {
        if (events < 0 || trials < events) {
            throw new IllegalArgumentException("need 0 <= events <= trials, got " + events + " of " + trials);
        }
        if (!(p0 > 0 && p0 < 1)) {
            throw new IllegalArgumentException("baseline rate must lie in (0, 1), got " + p0);
        }
        double[] next = new double[multipliers.length];
        for (int j = 0; j < multipliers.length; j++) {
            double p1 = Math.min(multipliers[j] * p0, 0.999);
            double logL = events * Math.log(p1 / p0) + (trials - events) * Math.log1p(-p1) - (trials - events)
                    * Math.log1p(-p0);
            double base = restartPoint ? logAddExp(s.logR()[j], 0) : s.logR()[j];
            next[j] = base + logL;
        }
        return new State(next, s.restarts() + (restartPoint ? 1 : 0));
    }

    /** log of the mixture statistic R = sum_j w_j R_j. */
    public double logStatistic(State s) {
        double acc = Double.NEGATIVE_INFINITY;
        for (double l : s.logR()) {
            acc = logAddExp(acc, l);
        }
        return acc + Math.log(weight);
    }

    /**
     * The alarm threshold A so that one detector falsely alarms with probability at most {@code alpha} within a
     * horizon holding {@code restartsInHorizon} restart points: A = k / alpha.
     */
    public static double logThreshold(long restartsInHorizon, double alpha) {
        BernoulliConfidenceSequence.checkAlpha(alpha);
        return Math.log(restartsInHorizon) - Math.log(alpha);
    }

    static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
