package io.vigil.guardrail.analysis;

import io.vigil.guardrail.statistics.Interval;

/**
 * Did the change cause it? The affected cohort's change in a rate minus the change in cohorts the change did not
 * touch over the same windows: what moved everywhere (a holiday, a traffic-mix shift) cancels, what moved only where
 * the change applies remains. The four rates are independent binomial samples, so the estimate's variance is the sum
 * of theirs (normal approximation: use it with hundreds of events per cell, as at checkout volumes). The estimate is
 * causal only under parallel trends: the unaffected cohorts must stand for what the affected one would have done.
 */
public final class DifferenceInDifferences {

    public record Cell(long events, long trials) {
        public Cell {
            if (trials <= 0 || events < 0 || events > trials) {
                throw new InvalidAnalysisException("trials", "each cell needs 0 <= events <= trials and trials > 0, "
                        + "got " + events + " of " + trials);
            }
        }

        double rate() {
            return (double) events / trials;
        }

        double variance() {
            double p = rate();
            return p * (1 - p) / trials;
        }
    }

    public record Result(double affectedChange, double unaffectedChange, double estimate, Interval interval,
            double standardError) {

        public boolean significant() {
            return !interval.contains(0);
        }
    }

    private DifferenceInDifferences() {
    }

    public static Result estimate(Cell affectedBefore, Cell affectedAfter, Cell unaffectedBefore,
            Cell unaffectedAfter, double confidence) {
        double a = affectedAfter.rate() - affectedBefore.rate();
        double u = unaffectedAfter.rate() - unaffectedBefore.rate();
        double se = Math.sqrt(affectedBefore.variance() + affectedAfter.variance() + unaffectedBefore.variance()
                + unaffectedAfter.variance());
        double z = RateEstimate.z(confidence);
        double d = a - u;
        return new Result(a, u, d, new Interval(d - z * se, d + z * se), se);
    }
}
