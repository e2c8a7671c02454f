package io.vigil.guardrail.analysis;

import java.util.ArrayList;
import java.util.List;

import io.vigil.guardrail.statistics.Interval;

/**
 * Which step of the checkout funnel broke (seed 002: voice step-up success 97% -> 86% while every other step held)?
 * Each step's conversion (entered the next step / entered this one) is compared before and after a time, with a
 * confidence interval on the change; the step named is the one whose drop is significant and largest. The revenue at
 * stake is the end-to-end conversion change x sessions x average order value, as a best / base / worst range from the
 * ends of its interval.
 */
public final class FunnelBreakpoints {

    /** How many sessions reached each step, in funnel order (e.g. scored, approved or passed step-up, authorized, ordered). */
    public record Funnel(List<String> steps, long[] reached) {
        public Funnel {
            if (steps.size() != reached.length || reached.length < 2) {
                throw new InvalidAnalysisException("steps", "a funnel needs two or more steps with a count each");
            }
            for (int i = 1; i < reached.length; i++) {
                if (reached[i] > reached[i - 1] || reached[i] < 0) {
                    throw new InvalidAnalysisException("reached", "step '" + steps.get(i) + "' reached "
                            + reached[i] + ", more than the step before it (" + reached[i - 1] + ") or negative");
                }
            }
            steps = List.copyOf(steps);
            reached = reached.clone();
        }
    }

    public record StepChange(String step, RateEstimate before, RateEstimate after, double change, Interval interval) {
        public boolean significantDrop() {
            return interval.upper() < 0;
        }
    }

    /** Revenue per period at stake from the end-to-end change: base from the estimate, best/worst from its ends. */
    public record RevenueImpact(double worst, double base, double best) {
    }

    public record Result(List<StepChange> steps, StepChange brokenStep, RevenueImpact revenue) {
    }

    private FunnelBreakpoints() {
    }

    public static Result compare(Funnel before, Funnel after, double sessionsPerPeriod, double averageOrderValue,
            double confidence) {
        if (!before.steps().equals(after.steps())) {
            throw new InvalidAnalysisException("steps", "before and after must list the same steps");
        }
        double z = RateEstimate.z(confidence);
        List<StepChange> changes = new ArrayList<>();
        StepChange broken = null;
        for (int i = 1; i < before.reached().length; i++) {
            StepChange c = change(before.steps().get(i), before.reached()[i], before.reached()[i - 1],
                    after.reached()[i], after.reached()[i - 1], z, confidence);
            changes.add(c);
            if (c.significantDrop() && (broken == null || c.change() < broken.change())) {
                broken = c;
            }
        }
        int last = before.reached().length - 1;
        StepChange endToEnd = change("end to end", before.reached()[last], before.reached()[0],
                after.reached()[last], after.reached()[0], z, confidence);
        RevenueImpact revenue = new RevenueImpact(endToEnd.interval().lower() * sessionsPerPeriod * averageOrderValue,
                endToEnd.change() * sessionsPerPeriod * averageOrderValue,
                endToEnd.interval().upper() * sessionsPerPeriod * averageOrderValue);
        return new Result(changes, broken, revenue);
    }

    private static StepChange change(String step, long passedBefore, long enteredBefore, long passedAfter,
            long enteredAfter, double z, double confidence) {
        RateEstimate b = RateEstimate.of(passedBefore, enteredBefore, confidence);
        RateEstimate a = RateEstimate.of(passedAfter, enteredAfter, confidence);
        if (!b.hasData() || !a.hasData()) {
            return new StepChange(step, b, a, Double.NaN, Interval.EVERYTHING);
        }
        double d = a.rate() - b.rate();
        double se = Math.sqrt(a.rate() * (1 - a.rate()) / a.trials() + b.rate() * (1 - b.rate()) / b.trials());
        return new StepChange(step, b, a, d, new Interval(d - z * se, d + z * se));
    }
}
