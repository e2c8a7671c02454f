package io.vigil.features.health;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The statistics behind feature health alarms.
 *
 * <p>PSI alarm rule. PSI = sum (q_i - p_i) ln(q_i / p_i) is the symmetrised Kullback-Leibler (Jeffreys) divergence of
 * the window's bin shares q from the reference's p. When both samples come from one distribution, a second-order
 * expansion gives PSI ~ sum (q_i - p_i)^2 / p_i, so PSI x n m / (n + m) is the two-sample chi-square statistic and is
 * approximately chi2(k - 1) for k bins (n window, m reference observations). A fixed PSI threshold ignores that the
 * noise in PSI shrinks like (k - 1)(1/n + 1/m): a 20-observation segment over 10 bins has E[PSI] ~ 0.45 with no change
 * at all, so "PSI > 0.25" alarms on noise almost every time. The rule here alarms only when PSI exceeds BOTH the
 * conventional floor (0.25, "significant shift": the effect must matter) AND chi2(1 - alpha; k - 1) x (n + m) / (n m)
 * (the shift must be unlikely to be noise at these sample sizes). Bin shares use add-one-half smoothing so that empty
 * bins keep PSI finite without dominating it. The false-alarm rate on stable data is tested in DriftStatisticsTest.
 */
public final class DriftStatistics {

    /** Pseudo-count added to every bin (Jeffreys prior): empty bins give finite PSI without dominating it. */
    public static final double PSEUDO_COUNT = 0.5;

    private DriftStatistics() {
    }

    /** PSI of shares {@code q} (window) against {@code p} (reference); both must be positive and the same length. */
    public static double psi(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += (q[i] - p[i]) * Math.log(q[i] / p[i]);
        }
        return sum;
    }

    /** PSI of bin counts, with {@link #PSEUDO_COUNT} smoothing. */
    public static double psi(long[] referenceCounts, long[] windowCounts) {
        return psi(shares(referenceCounts), shares(windowCounts));
    }

    static double[] shares(long[] counts) {
        double total = 0;
        for (long c : counts) {
            total += c + PSEUDO_COUNT;
        }
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            s[i] = (counts[i] + PSEUDO_COUNT) / total;
        }
        return s;
    }

    /** The PSI a stable distribution exceeds with probability {@code alpha}: chi2(1 - alpha; k - 1) (n + m) / (n m). */
    public static double psiCriticalValue(int bins, long n, long m, double alpha) {
        if (bins < 2 || n < 1 || m < 1) {
            return Double.POSITIVE_INFINITY;
        }
        double chi2 = new ChiSquaredDistribution(null, bins - 1).inverseCumulativeProbability(1 - alpha);
        return chi2 * ((double) n + m) / ((double) n * m);
    }

    /** The PSI alarm level: the larger of the floor and the sample-size-aware critical value. */
    public static double psiAlarmLevel(int bins, long n, long m, double alpha, double floor) {
        return Math.max(floor, psiCriticalValue(bins, n, m, alpha));
    }

    /** Two-sample Kolmogorov-Smirnov statistic D = sup |F_x - F_y|. */
    public static double ksStatistic(double[] x, double[] y) {
        return new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(x, y);
    }

    /**
     * The D a stable distribution exceeds with probability about {@code alpha} (asymptotic Kolmogorov distribution):
     * sqrt(-ln(alpha / 2) / 2) x sqrt((n + m) / (n m)). Ties in discrete features make the test conservative.
     */
    public static double ksCriticalValue(long n, long m, double alpha) {
        if (n < 1 || m < 1) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt(((double) n + m) / ((double) n * m));
    }

    /** P(X >= x) for X ~ Binomial(n, p): how surprising x events in n are at the reference rate p. */
    public static double binomialUpperTail(int x, int n, double p) {
        if (x <= 0) {
            return 1.0;
        }
        return 1.0 - new BinomialDistribution(null, n, p).cumulativeProbability(x - 1);
    }

    /** A reference rate that is never 0 or 1 (Laplace's rule of succession), so a clean reference can still alarm. */
    public static double referenceRate(long events, long total) {
        return (events + 1.0) / (total + 2.0);
    }

    /**
     * The rate alarm: the window rate is at least {@code floor} above the (smoothed) reference rate and a binomial
     * test at the reference rate finds the window's count unlikely (p below alpha).
     */
    public static boolean rateAlarm(long events, long n, long refEvents, long m, double alpha, double floor) {
        if (n == 0) {
            return false;
        }
        double p0 = referenceRate(refEvents, m);
        return (double) events / n - p0 > floor && binomialUpperTail((int) events, (int) n, p0) < alpha;
    }
}
