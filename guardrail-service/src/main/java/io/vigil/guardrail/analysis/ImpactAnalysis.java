package io.vigil.guardrail.analysis;

import io.vigil.guardrail.statistics.Interval;

/**
 * How much harm a cohort's rate represents against its baseline: the rate with its interval, the excess harmed
 * transactions with an interval, and the money at stake. The denominator is the cohort's own volume; a site-wide
 * volume passed as the cohort's would understate the rate by the cohort's share of traffic, so the analysis refuses a
 * cohort volume larger than the site's and names in its result the denominator it used.
 */
public final class ImpactAnalysis {

    /** What the caller observed. Site volume is optional (0: not given) and only used to validate the denominator. */
    public record Request(String cohort, String metric, long harmed, long cohortVolume, long siteVolume,
            double baselineRate, double averageAmountUsd, double confidence) {
    }

    public record Result(String cohort, String metric, RateEstimate rate, double baselineRate, double expectedHarmed,
            double excessHarmed, Interval excessInterval, double moneyAtStakeUsd, Interval moneyInterval,
            String denominator) {
    }

    private ImpactAnalysis() {
    }

    public static Result analyse(Request r) {
        if (r.cohortVolume() < 0) {
            throw new InvalidAnalysisException("cohort_volume", "must be >= 0, got " + r.cohortVolume());
        }
        if (r.harmed() < 0 || r.harmed() > r.cohortVolume()) {
            throw new InvalidAnalysisException("harmed", "must lie between 0 and the cohort volume " + r.cohortVolume()
                    + ", got " + r.harmed());
        }
        if (r.siteVolume() != 0 && r.siteVolume() < r.cohortVolume()) {
            throw new InvalidAnalysisException("cohort_volume", "the cohort's " + r.cohortVolume()
                    + " payments exceed the site's " + r.siteVolume() + ": pass the cohort's own volume");
        }
        if (!(r.baselineRate() >= 0 && r.baselineRate() <= 1)) {
            throw new InvalidAnalysisException("baseline_rate", "must lie in [0, 1], got " + r.baselineRate());
        }
        if (!(r.averageAmountUsd() >= 0) || Double.isInfinite(r.averageAmountUsd())) {
            throw new InvalidAnalysisException("average_amount_usd", "must be a finite number >= 0");
        }
        RateEstimate rate = RateEstimate.of(r.harmed(), r.cohortVolume(), r.confidence());
        double n = r.cohortVolume();
        double expected = n * r.baselineRate();
        double excess = r.harmed() - expected;
        Interval excessInterval = new Interval(n * rate.interval().lower() - expected,
                n * rate.interval().upper() - expected);
        String denominator = String.format("cohort volume: %,d payments of %s%s", r.cohortVolume(), r.cohort(),
                r.siteVolume() == 0 ? "" : String.format(" (%.1f%% of the site's %,d)",
                        100.0 * r.cohortVolume() / r.siteVolume(), r.siteVolume()));
        return new Result(r.cohort(), r.metric(), rate, r.baselineRate(), expected, excess, excessInterval,
                excess * r.averageAmountUsd(), new Interval(excessInterval.lower() * r.averageAmountUsd(),
                        excessInterval.upper() * r.averageAmountUsd()), denominator);
    }
}
