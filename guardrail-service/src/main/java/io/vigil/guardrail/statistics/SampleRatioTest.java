package io.vigil.guardrail.statistics;

import org.apache.commons.math3.special.Gamma;

/**
 * Sample-ratio mismatch: does the observed split of accounts (or decisions) across arms match the configured shares?
 * A mismatch means the assignment or the logging is broken, and then no other comparison of the arms can be trusted,
 * so a rollout holds on it.
 *
 * <p>Anytime-valid test (Lindon and Malek, "Anytime-valid inference for multinomial count data", NeurIPS 2022): the
 * Dirichlet-multinomial mixture over arm probabilities against the configured shares pi,
 *
 * <pre>
 *   M_N = Gamma(sum a) / Gamma(sum a + N) * prod_k Gamma(a_k + n_k) / Gamma(a_k)  /  prod_k pi_k^n_k
 * </pre>
 *
 * is a non-negative martingale with mean 1 under the configured shares, so rejecting once M_N >= 1/alpha has
 * type-I error at most alpha however often it is checked. The prior a_k = concentration * pi_k is centred on the
 * configured shares; a larger concentration is more sensitive to small mismatches late and less to large ones early.
 * Shares are fixed for the life of a test: a ramp step that changes them starts a new test.
 */
public final class SampleRatioTest {

    private final double[] shares;
    private final double[] prior;
    private final double priorSum;

    public SampleRatioTest(double[] shares, double concentration) {
        if (shares.length < 2) {
            throw new IllegalArgumentException("a split needs at least two arms, got " + shares.length);
        }
        if (!(concentration > 0) || Double.isInfinite(concentration)) {
            throw new IllegalArgumentException("concentration must be > 0, got " + concentration);
        }
        double sum = 0;
        for (double s : shares) {
            if (!(s > 0 && s < 1)) {
                throw new IllegalArgumentException("each configured share must lie in (0, 1), got " + s);
            }
            sum += s;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("configured shares must sum to 1, got " + sum);
        }
        this.shares = shares.clone();
        this.prior = new double[shares.length];
        double ps = 0;
        for (int k = 0; k < shares.length; k++) {
            prior[k] = concentration * shares[k];
            ps += prior[k];
        }
        this.priorSum = ps;
    }

    /** log M_N for the observed counts per arm (same order as the shares). */
    public double logMartingale(long[] counts) {
        if (counts.length != shares.length) {
            throw new IllegalArgumentException(shares.length + " arms configured, " + counts.length + " counted");
        }
        long n = 0;
        double log = 0;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] < 0) {
                throw new IllegalArgumentException("count of arm " + k + " is negative: " + counts[k]);
            }
            n += counts[k];
            log += Gamma.logGamma(prior[k] + counts[k]) - Gamma.logGamma(prior[k]) - counts[k] * Math.log(shares[k]);
        }
        return log + Gamma.logGamma(priorSum) - Gamma.logGamma(priorSum + n);
    }

    /** True once the counts show a mismatch at level alpha. */
    public boolean mismatch(long[] counts, double alpha) {
        BernoulliConfidenceSequence.checkAlpha(alpha);
        return logMartingale(counts) >= -Math.log(alpha);
    }

    /** The anytime-valid p-value min(1, 1 / M_N) at these counts (not the running minimum: keep that yourself). */
    public double pValue(long[] counts) {
        return Math.min(1, Math.exp(-logMartingale(counts)));
    }
}
