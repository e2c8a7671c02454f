package io.vigil.guardrail.statistics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A confidence sequence for one quantile of a distribution (Score latency p99 per arm), valid at every look: latency
 * guardrails judge the tail the checkout feels, not a mean that a few slow calls barely move.
 *
 * <p>Construction (the fixed-quantile sequence of Howard and Ramdas, "Sequential estimation of quantiles with
 * applications to A/B-testing and best-arm identification", Bernoulli 2022, built here on the exact beta-binomial
 * boundary). If Q is the true q-quantile of a continuous distribution, each observation falls at or below Q with
 * probability q, so the count S_t(Q) of such observations is a Bernoulli(q) sum and, with probability 1 - alpha,
 * stays for all t in the set of counts whose {@link BernoulliConfidenceSequence} contains q, an interval [s_lo, s_hi].
 * At least s_lo observations lie at or below Q, so the s_lo-th smallest is a lower bound; at most s_hi do, so the
 * (s_hi + 1)-th smallest lies above Q. Read from an HdrHistogram, each order statistic is widened to the edge of its
 * bucket, which keeps the bounds conservative.
 */
public final class QuantileConfidenceSequence {

    private final BernoulliConfidenceSequence counts;

    public QuantileConfidenceSequence(BernoulliConfidenceSequence counts) {
        this.counts = counts;
    }

    /** Uses a Beta prior centred on q itself (worth 10 observations): tight where the counts will be. */
    public static QuantileConfidenceSequence forQuantile(double q) {
        return new QuantileConfidenceSequence(BernoulliConfidenceSequence.centredOn(q, 10));
    }

    /**
     * The range of counts S (out of t) at which q stays in the Bernoulli sequence: {lo, hi}, or null when none does
     * (only possible for tiny t at extreme q).
     */
    public long[] acceptedCounts(double q, long t, double alpha) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile must lie in (0, 1), got " + q);
        }
        // The log-martingale is convex in S (a log-beta term plus a linear one), so the accepted counts form an
        // interval around t q: find a member, then each end by binary search.
        long centre = Math.round(t * q);
        long inside = -1;
        for (long s = Math.max(0, centre - 1); s <= Math.min(t, centre + 1); s++) {
            if (!counts.excludes(q, s, t, alpha)) {
                inside = s;
                break;
            }
        }
        if (inside < 0) {
            return null;
        }
        long lo = inside;
        long out = -1; // known excluded (or -1: below the range)
        while (lo - out > 1) {
            long mid = out + (lo - out) / 2;
            if (counts.excludes(q, mid, t, alpha)) {
                out = mid;
            } else {
                lo = mid;
            }
        }
        long hi = inside;
        out = t + 1;
        while (out - hi > 1) {
            long mid = hi + (out - hi) / 2;
            if (counts.excludes(q, mid, t, alpha)) {
                out = mid;
            } else {
                hi = mid;
            }
        }
        return new long[] {lo, hi};
    }

    /**
     * The interval for the q-quantile of the recorded values. The lower end is 0 while too few values are recorded
     * to bound it (values are non-negative: latencies), the upper end is +infinity likewise.
     */
    public Interval interval(Histogram h, double q, double alpha) {
        long t = h.getTotalCount();
        long[] range = acceptedCounts(q, t, alpha);
        if (range == null) {
            return new Interval(0, Double.POSITIVE_INFINITY);
        }
        double lower = range[0] >= 1 ? orderStatistic(h, range[0], false) : 0;
        double upper = range[1] + 1 <= t ? orderStatistic(h, range[1] + 1, true) : Double.POSITIVE_INFINITY;
        return new Interval(lower, upper);
    }

    /** The k-th smallest recorded value (1-based), widened to its bucket's lower or upper edge. */
    static double orderStatistic(Histogram h, long k, boolean upperEdge) {
        long seen = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            seen += v.getCountAtValueIteratedTo();
            if (seen >= k) {
                long value = v.getValueIteratedTo();
                return upperEdge ? h.highestEquivalentValue(value) : h.lowestEquivalentValue(value);
            }
        }
        throw new IllegalArgumentException("rank " + k + " beyond the " + h.getTotalCount() + " recorded values");
    }
}
