package io.vigil.guardrail.statistics;

/**
 * An asymptotic confidence sequence for a mean (review minutes per case, order value, any metric with a finite
 * variance): valid at every look simultaneously as the sample grows, so a rollout may check it every minute.
 *
 * <p>Construction (Robbins' normal mixture with a plug-in variance: Waudby-Smith, Arbour, Sinha, Kennedy, Ramdas,
 * "Time-uniform central limit theory and asymptotic confidence sequences", 2024, Theorem 2.2). For Gaussian
 * increments with unit variance, mixing the exponential martingale exp(lambda S_t - t lambda^2 / 2) over lambda ~
 * N(0, rho^2) gives M_t = (t rho^2 + 1)^(-1/2) exp(rho^2 S_t^2 / (2 (t rho^2 + 1))); Ville's inequality on M_t < 1/alpha
 * yields the radius
 *
 * <pre>
 *   r_t = sigma_t * sqrt( 2 (t rho^2 + 1) / (t^2 rho^2) * log( sqrt(t rho^2 + 1) / alpha ) )
 * </pre>
 *
 * around the running mean, with sigma_t the running standard deviation. rho only decides at which sample size the
 * sequence is tightest: {@link #tunedFor} picks rho^2 = (l + log(l + 1)) / n with l = -2 log alpha for a planned
 * sample size n. (With u = n rho^2 the width at n is proportional to (1 + 1/u)(l + log(1 + u)), minimal where
 * u = l + log(1 + u); one fixed-point step from u = l gives the formula.)
 *
 * <p>The guarantee is asymptotic (it rests on a strong approximation of the partial sums by a Brownian motion), so
 * the sequence reports {@link Interval#EVERYTHING} until {@code minimumSamples} observations have arrived; the coverage
 * of the finite-sample sequence is checked by simulation in the tests.
 */
public final class MeanConfidenceSequence {

    private final double rhoSquared;
    private final long minimumSamples;

    public MeanConfidenceSequence(double rho, long minimumSamples) {
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be > 0, got " + rho);
        }
        if (minimumSamples < 2) {
            throw new IllegalArgumentException("minimum samples must be >= 2 (a variance needs two), got "
                    + minimumSamples);
        }
        this.rhoSquared = rho * rho;
        this.minimumSamples = minimumSamples;
    }

    /** The sequence tightest at {@code plannedSamples} observations for this alpha. */
    public static MeanConfidenceSequence tunedFor(long plannedSamples, double alpha, long minimumSamples) {
        BernoulliConfidenceSequence.checkAlpha(alpha);
        if (plannedSamples < 1) {
            throw new IllegalArgumentException("planned samples must be >= 1, got " + plannedSamples);
        }
        double l = -2 * Math.log(alpha);
        return new MeanConfidenceSequence(Math.sqrt((l + Math.log(l + 1)) / plannedSamples), minimumSamples);
    }

    /** The radius for t observations with standard deviation {@code sigma}, at level 1 - alpha. */
    public double radius(long t, double sigma, double alpha) {
        BernoulliConfidenceSequence.checkAlpha(alpha);
        double trho = t * rhoSquared + 1;
        return sigma * Math.sqrt(2 * trho / ((double) t * t * rhoSquared) * Math.log(Math.sqrt(trho) / alpha));
    }

    /** The interval for the mean given a running summary of the observations. */
    public Interval interval(RunningMoments m, double alpha) {
        if (m.count() < minimumSamples) {
            return Interval.EVERYTHING;
        }
        double r = radius(m.count(), m.standardDeviation(), alpha);
        return new Interval(m.mean() - r, m.mean() + r);
    }
}
