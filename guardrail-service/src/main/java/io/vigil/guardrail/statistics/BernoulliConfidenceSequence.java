package io.vigil.guardrail.statistics;

import org.apache.commons.math3.special.Beta;

/**
 * An exact confidence sequence for a proportion (a Bernoulli mean): an interval for every sample size t that holds the
 * true rate at all t simultaneously with probability at least 1 - alpha, so it may be looked at after every single
 * observation, and stopped whenever, without inflating the error. Valid for any sample size and any rate, rare events
 * included (chargebacks, confirmed fraud): there is no normal approximation anywhere.
 *
 * <p>Construction (Robbins' beta-binomial mixture; Howard, Ramdas, McAuliffe, Sekhon 2021, section 3): for a candidate
 * rate p, after S successes in t trials
 *
 * <pre>
 *   M_t(p) = B(a + S, b + t - S) / B(a, b)  /  ( p^S (1 - p)^(t - S) )
 * </pre>
 *
 * is the likelihood of the data under a Beta(a, b) mixture of rates divided by its likelihood under p. Under p it is a
 * non-negative martingale with mean 1, so by Ville's inequality P(exists t: M_t(p) >= 1/alpha) <= alpha. The confidence
 * sequence is {p : M_t(p) < 1/alpha}. Because p^S (1-p)^(t-S) is log-concave in p and the mixture term does not depend
 * on p, the set is an interval around S/t, found by bisection on each side.
 *
 * <p>The prior only tunes where the sequence is tightest; validity holds for any fixed (a, b). {@link #centredOn} puts
 * its mass near an expected rate, which tightens the bounds for rare events a lot compared with a uniform prior. The
 * prior must be chosen before the data are seen (from configuration, never from the data being tested).
 */
public final class BernoulliConfidenceSequence {

    private static final int BISECTIONS = 80;

    private final double a;
    private final double b;
    private final double logBetaPrior;

    public BernoulliConfidenceSequence(double a, double b) {
        if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
            throw new IllegalArgumentException("the Beta prior needs a > 0 and b > 0, got a=" + a + ", b=" + b);
        }
        this.a = a;
        this.b = b;
        this.logBetaPrior = Beta.logBeta(a, b);
    }

    /** Uniform prior, Beta(1, 1): no idea of the rate in advance. */
    public static BernoulliConfidenceSequence uniform() {
        return new BernoulliConfidenceSequence(1, 1);
    }

    /**
     * A prior with mean {@code expectedRate} worth {@code priorObservations} observations, e.g. an incorrect-approval
     * rate of 2% worth 100 payments is Beta(2, 98).
     */
    public static BernoulliConfidenceSequence centredOn(double expectedRate, double priorObservations) {
        if (!(expectedRate > 0 && expectedRate < 1)) {
            throw new IllegalArgumentException("expected rate must lie in (0, 1), got " + expectedRate);
        }
        if (!(priorObservations > 0)) {
            throw new IllegalArgumentException("prior observations must be > 0, got " + priorObservations);
        }
        return new BernoulliConfidenceSequence(expectedRate * priorObservations, (1 - expectedRate) * priorObservations);
    }

    /** log M_t(p): at or above log(1/alpha) the rate p is excluded from the sequence from then on. */
    public double logMartingale(double p, long successes, long trials) {
        check(successes, trials);
        double logMixture = Beta.logBeta(a + successes, b + trials - successes) - logBetaPrior;
        return logMixture - logLikelihood(p, successes, trials);
    }

    /** True when the sequence, after these counts, no longer contains {@code p}. O(1): for simulations and monitors. */
    public boolean excludes(double p, long successes, long trials, double alpha) {
        return logMartingale(p, successes, trials) >= -Math.log(alpha);
    }

    /** The interval of rates not excluded after {@code successes} in {@code trials}, at level 1 - alpha. */
    public Interval interval(long successes, long trials, double alpha) {
        check(successes, trials);
        checkAlpha(alpha);
        if (trials == 0) {
            return new Interval(0, 1);
        }
        // p is inside iff logLikelihood(p) > threshold; the maximum-likelihood rate S/t is always inside because the
        // mixture likelihood can never exceed the best single rate's.
        double threshold = Beta.logBeta(a + successes, b + trials - successes) - logBetaPrior + Math.log(alpha);
        double mle = (double) successes / trials;
        double lower = successes == 0 ? 0 : boundary(0, mle, successes, trials, threshold);
        double upper = successes == trials ? 1 : boundary(1, mle, successes, trials, threshold);
        return new Interval(lower, upper);
    }

    /** Bisection between {@code outside} (where the likelihood is below the threshold) and {@code inside}. */
    private static double boundary(double outside, double inside, long s, long t, double threshold) {
        for (int i = 0; i < BISECTIONS; i++) {
            double mid = 0.5 * (outside + inside);
            if (logLikelihood(mid, s, t) > threshold) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        // Report the outer end so that rounding never makes the interval narrower than the exact set.
        return outside;
    }

    static double logLikelihood(double p, long s, long t) {
        double ll = 0;
        if (s > 0) {
            ll += s * Math.log(p);
        }
        if (t - s > 0) {
            ll += (t - s) * Math.log1p(-p);
        }
        return ll;
    }

    private static void check(long successes, long trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must lie in (0, 1), got " + alpha);
        }
    }
}
