package io.vigil.guardrail.analysis.ledger;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.vigil.guardrail.analysis.RateEstimate;
import io.vigil.guardrail.statistics.Interval;

/**
 * What the analyses answer, as JSON (snake_case on the wire). Every answer names its cohort, window, n and the
 * denominator it used. An unknown value is absent (null), never 0 and never NaN: a window with no data answers n = 0
 * and no rate.
 */
public final class AnalysisViews {

    private AnalysisViews() {
    }

    public record WindowView(Instant from, Instant to) {
        static WindowView of(Window w) {
            return new WindowView(w.from(), w.to());
        }
    }

    /** A confidence interval; {@code confidence} e.g. 0.95. */
    public record Ci(double lower, double upper, double confidence) {
        static Ci of(Interval i, double confidence) {
            return i == null ? null : new Ci(i.lower(), i.upper(), confidence);
        }
    }

    /** events of n, the rate and its Wilson interval; no rate when n = 0. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rate(long n, long events, Double rate, Ci ci) {
        static Rate of(RateEstimate r) {
            return r.hasData() ? new Rate(r.trials(), r.events(), r.rate(), Ci.of(r.interval(), r.confidence()))
                    : new Rate(0, 0, null, null);
        }
    }

    /** Where the baseline rate came from: "given" (a request parameter) or "cohort, preceding window". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Baseline(String source, WindowView window, Long n, Long events, Double rate) {
    }

    /** {@code harmed}: what events, rate and excess count, e.g. "approved payments charged back as fraud". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Impact(String cohort, String metric, String harmed, WindowView window, long n, long events,
            String denominator,
            Double rate, Ci rateCi, Baseline baseline, Double expected, Double excess, Ci excessCi,
            Double averageAmountUsd, Double moneyAtStakeUsd, Ci moneyAtStakeCi, long siteN, String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SliceView(String value, long n, long events, Double rate, Ci rateCi, double excess, Ci excessCi,
            Double share, Double cumulativeShare) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Slices(String cohort, String metric, String harmed, String by, WindowView window, long n, long events,
            String denominator, Baseline baseline, Double totalExcess, int sliceCount, List<SliceView> slices,
            String note) {
    }

    public record OperatingPointView(double threshold, double truePositiveRate, double falsePositiveRate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WhatIf(String cohort, WindowView window, String model, long n, long frauds, long withoutScore,
            String denominator, OperatingPointView current, OperatingPointView proposed, Long payments,
            Double prevalence, Double flaggedBefore, Double flaggedAfter, Double flaggedAdded,
            Double falsePositivesAdded, Double fraudsNewlyCaught, Double approvalsLost, Double reviewCapacity,
            Boolean withinCapacity, String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepView(String step, Rate before, Rate after, Double change, Ci changeCi, boolean significantDrop) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChannelFunnel(String channel, long[] before, long[] after, List<StepView> steps, String brokenStep,
            Double sessionsPerDay, Double averageOrderUsd, RevenueView revenuePerDay, String note) {
    }

    public record RevenueView(double worst, double base, double best) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Funnel(String cohort, WindowView window, Instant at, long n, String denominator, List<String> steps,
            List<ChannelFunnel> channels, String brokenChannel, String brokenStep, String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DiD(String cohort, String control, String metric, WindowView window, Instant at, Rate affectedBefore,
            Rate affectedAfter, Rate controlBefore, Rate controlAfter, String denominator, Double affectedChange,
            Double controlChange, Double estimate, Ci ci, Boolean significant, String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Switchback(String cohort, String metric, WindowView window, long n, String denominator,
            Double baselineRate, Double decisionsPerHour, Double betweenHourSd, double effect, double carryOverHours,
            double alpha, double power, Double blockHours, Long decisionsPerBlock, Integer blocks, Double totalHours,
            String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CaseView(String stratum, String decisionId, String transactionId, String account, Instant eventAt,
            String decision, double score, String channel, String merchantId, String deviceId, String cardBin,
            String country, String ageBand, Double amountUsd, JsonNode features, JsonNode reasons,
            JsonNode armScores, JsonNode outcomes) {
    }

    public record Stratum(String stratum, long sampled) {
    }

    public record Cases(String cohort, WindowView window, long n, int perStratum, List<Stratum> strata,
            List<CaseView> cases) {
    }
}
