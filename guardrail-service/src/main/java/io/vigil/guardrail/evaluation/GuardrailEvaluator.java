package io.vigil.guardrail.evaluation;

import io.vigil.guardrail.statistics.ArmComparison;
import io.vigil.guardrail.statistics.ArmComparison.Judgement;
import io.vigil.guardrail.statistics.BernoulliConfidenceSequence;
import io.vigil.guardrail.statistics.DifferenceConfidenceSequence;
import io.vigil.guardrail.statistics.Interval;
import io.vigil.guardrail.statistics.MeanConfidenceSequence;
import io.vigil.guardrail.statistics.QuantileConfidenceSequence;

/**
 * Judges one guardrail from its data at the level the rollout's error budget grants it.
 *
 * <p>A breach (HARMFUL) stands at any exposure: the sequences are valid at every sample size, so harm shown early is
 * harm. A pass (NON_INFERIOR) needs the guardrail's minimum exposure on both arms as well, so that a cohort with almost
 * no traffic is never waved through on a wide interval that happens to sit under the margin; below it the judgement
 * is INCONCLUSIVE and says what is missing.
 */
public final class GuardrailEvaluator {

    private final DifferenceConfidenceSequence rates;
    private final BernoulliConfidenceSequence rareEvents;

    /**
     * @param plannedDecisions the decisions a guardrail is expected to see by the end of a rollout: tunes where the
     *        rate sequences are tightest (validity does not depend on it)
     * @param minimumPerArm the decisions per arm before a rate's asymptotic sequence is used at all
     */
    public GuardrailEvaluator(long plannedDecisions, double alpha, long minimumPerArm) {
        this.rates = new DifferenceConfidenceSequence(MeanConfidenceSequence.tunedFor(plannedDecisions, alpha, 2),
                minimumPerArm);
        this.rareEvents = BernoulliConfidenceSequence.uniform();
    }

    public GuardrailAssessment evaluate(Guardrail g, GuardrailData data, double alpha) {
        // Java 17: no pattern switch yet; the interface is sealed, so these branches are all there is.
        ArmComparison.Result r;
        double estimate;
        String missing = missing(g, data);
        double maturity = Double.NaN;
        if (data instanceof GuardrailData.Rates d) {
            r = ArmComparison.judgeDifference(rates.interval(d.state(), alpha), g.metric().badDirection(), g.margin());
            estimate = d.state().estimate();
        } else if (data instanceof GuardrailData.ArmRates d) {
            r = judgeArms(g, d, alpha, 1);
            estimate = rate(d.treatmentEvents(), d.treatmentExposure()) - rate(d.controlEvents(), d.controlExposure());
        } else if (data instanceof GuardrailData.DelayedLabels d) {
            // Judged on the mature vintages, their bounds divided by the share of labels expected among them: the
            // frauds seen bound (rate x labelled share), the rate is what the guardrail is about.
            r = judgeArms(g, d.matured(), alpha, d.maturedLabelShare() > 0 ? d.maturedLabelShare() : 1);
            // Censoring-aware over every vintage: frauds seen per approval whose label is expected by now.
            estimate = ratio(d.all().treatmentEvents(), d.treatmentLabelsExpected())
                    - ratio(d.all().controlEvents(), d.controlLabelsExpected());
            maturity = d.labelMaturity();
            if (missing != null) {
                missing = String.format("labels not mature: %.1f%% of the fraud labels expected so far; approvals in "
                        + "vintages with at least %.0f%% of their labels in: %s", 100 * maturity,
                        100 * d.matureShare(), missing);
            }
        } else {
            GuardrailData.Latencies d = (GuardrailData.Latencies) data;
            double q = g.metric().quantile();
            QuantileConfidenceSequence qcs = QuantileConfidenceSequence.forQuantile(q);
            // Recorded in microseconds, judged in milliseconds (the margin's unit).
            Interval t = millis(qcs.interval(d.treatment(), q, alpha / 2));
            Interval c = millis(qcs.interval(d.control(), q, alpha / 2));
            r = ArmComparison.judge(t, c, g.metric().badDirection(), g.margin());
            estimate = d.treatment().getTotalCount() == 0 || d.control().getTotalCount() == 0 ? 0
                    : (d.treatment().getValueAtPercentile(q * 100) - d.control().getValueAtPercentile(q * 100)) / 1e3;
        }
        Judgement j = r.judgement() == Judgement.NON_INFERIOR && missing != null ? Judgement.INCONCLUSIVE
                : r.judgement();
        if (j == Judgement.INCONCLUSIVE && missing == null) {
            missing = "the interval " + r.harm() + " still straddles the margin " + g.margin();
        }
        return new GuardrailAssessment(g, j, estimate, r.harm(), data.treatmentExposure(), data.controlExposure(), alpha,
                j == Judgement.HARMFUL ? null : missing, maturity);
    }

    /** Exact per-arm sequences on the events, each bound divided by the share of events observable ({@code seen}). */
    private ArmComparison.Result judgeArms(Guardrail g, GuardrailData.ArmRates d, double alpha, double seen) {
        Interval t = scaled(rareEvents.interval(d.treatmentEvents(), d.treatmentExposure(), alpha / 2), seen);
        Interval c = scaled(rareEvents.interval(d.controlEvents(), d.controlExposure(), alpha / 2), seen);
        return ArmComparison.judge(t, c, g.metric().badDirection(), g.margin());
    }

    private static Interval scaled(Interval rate, double seen) {
        return seen == 1 ? rate : new Interval(Math.min(1, rate.lower() / seen), Math.min(1, rate.upper() / seen));
    }

    private static Interval millis(Interval micros) {
        return new Interval(micros.lower() / 1e3, micros.upper() / 1e3);
    }

    private static double ratio(long events, double expected) {
        return expected <= 0 ? 0 : events / expected;
    }

    private static String missing(Guardrail g, GuardrailData data) {
        long need = g.minimumExposurePerArm();
        if (data.treatmentExposure() < need || data.controlExposure() < need) {
            return "exposure " + data.treatmentExposure() + " (treatment) and " + data.controlExposure()
                    + " (control) of the " + need + " per arm needed";
        }
        return null;
    }

    private static double rate(long events, long exposure) {
        return exposure == 0 ? 0 : (double) events / exposure;
    }
}
