package io.vigil.guardrail.statistics;

/**
 * Count, mean and variance of a stream in one pass (Welford's update), mergeable (Chan et al.) so that partial
 * aggregates from event-time buckets or partitions combine exactly. An immutable value: every update returns a new one,
 * which is what a state store keeps.
 */
public record RunningMoments(long count, double mean, double sumOfSquares) {

    public static final RunningMoments EMPTY = new RunningMoments(0, 0, 0);

    public RunningMoments {
        if (count < 0 || sumOfSquares < 0 || Double.isNaN(mean)) {
            throw new IllegalArgumentException("invalid moments: n=" + count + ", mean=" + mean + ", m2=" + sumOfSquares);
        }
    }

    public RunningMoments add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("observation must be finite, got " + x);
        }
        long n = count + 1;
        double delta = x - mean;
        double newMean = mean + delta / n;
        return new RunningMoments(n, newMean, sumOfSquares + delta * (x - newMean));
    }

    public RunningMoments merge(RunningMoments o) {
        if (o.count == 0) {
            return this;
        }
        if (count == 0) {
            return o;
        }
        long n = count + o.count;
        double delta = o.mean - mean;
        double newMean = mean + delta * o.count / n;
        double m2 = sumOfSquares + o.sumOfSquares + delta * delta * ((double) count * o.count / n);
        return new RunningMoments(n, newMean, m2);
    }

    /** Sample variance (n - 1 in the denominator); 0 below two observations. */
    public double variance() {
        return count < 2 ? 0 : sumOfSquares / (count - 1);
    }

    public double standardDeviation() {
        return Math.sqrt(variance());
    }
}
