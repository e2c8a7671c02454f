package io.vigil.guardrail.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vigil.guardrail.evaluation.GuardrailAssessment.LimitCheck;
import io.vigil.guardrail.evaluation.GuardrailAssessment.Projection;
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
        if (data instanceof GuardrailData.Load d) {
            return load(g, d, alpha);
        }
        if (g.hasCeiling() && data instanceof GuardrailData.DelayedLabels d) {
            return ceiling(g, d, alpha);
        }
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

    /**
     * A LOAD guardrail: events per period at treatment share s are V (s p_T + (1 - s) p_C), V the decisions observed
     * per period (both arms, in the cohort: the volume does not depend on the share), p_T and p_C the arms' rates.
     * Each arm's exact sequence at alpha / 2 holds its rate at all times (union bound: both at alpha), so the load's
     * bounds at every share at once are V (s L_T + (1 - s) L_C) and V (s U_T + (1 - s) U_C): judging the current
     * share, the next step's and all traffic costs no more alpha than one. A breach is the load at the current share
     * surely over the capacity; promotion is held when the next step's load is surely over it; a pass needs the next
     * step's load surely within it (and the minimum exposure). The evidence's harm is the current load's excess over
     * the capacity per decision, so that, like every other harm, times the exposure it counts events.
     */
    private GuardrailAssessment load(Guardrail g, GuardrailData.Load d, double alpha) {
        GuardrailData.ArmRates c = d.counts();
        Interval t = rareEvents.interval(c.treatmentEvents(), c.treatmentExposure(), alpha / 2);
        Interval k = rareEvents.interval(c.controlEvents(), c.controlExposure(), alpha / 2);
        long decisions = c.treatmentExposure() + c.controlExposure();
        double perPeriod = d.observedMillis() == 0 ? 0 : (double) decisions * g.periodMillis() / d.observedMillis();
        double pt = rate(c.treatmentEvents(), c.treatmentExposure());
        double pc = rate(c.controlEvents(), c.controlExposure());
        List<Projection> projections = new ArrayList<>();
        for (double s : new double[] {d.currentShare(), d.nextShare(), 1}) {
            if (projections.isEmpty() || s > projections.get(projections.size() - 1).share()) {
                projections.add(new Projection(s, perPeriod * (s * pt + (1 - s) * pc),
                        perPeriod * (s * t.lower() + (1 - s) * k.lower()),
                        perPeriod * (s * t.upper() + (1 - s) * k.upper())));
            }
        }
        Projection now = projections.get(0);
        // The step after this one: the next share, or the current one again when it is already all traffic.
        Projection next = projections.size() > 1 ? projections.get(1) : now;
        double capacity = g.limit();
        String period = periodText(g.periodMillis());
        String events = g.metric() == GuardrailMetric.STEP_UP_BUDGET ? "step-ups" : "reviews";
        String limitName = g.metric() == GuardrailMetric.STEP_UP_BUDGET ? "the step-up budget" : "the review queue";
        String blocks = null;
        String missing = missing(g, d);
        Judgement j;
        if (now.lower() > capacity) {
            j = Judgement.HARMFUL;
            missing = null;
        } else if (next.lower() > capacity) {
            j = Judgement.INCONCLUSIVE;
            blocks = String.format(Locale.ROOT, "promotion to %s would overload %s: %s [%s, %s] %s per %s against "
                    + "%s", percent(next.share()), limitName, whole(next.estimate()), whole(next.lower()),
                    whole(next.upper()), events, period, whole(capacity));
            missing = blocks;
        } else if (next.upper() <= capacity && missing == null) {
            j = Judgement.NON_INFERIOR;
        } else {
            j = Judgement.INCONCLUSIVE;
            if (missing == null) {
                missing = String.format(Locale.ROOT, "%s at %s may reach %s per %s (bounds [%s, %s]) against %s",
                        events, percent(next.share()), whole(next.upper()), period, whole(next.lower()),
                        whole(next.upper()), whole(capacity));
            }
        }
        Interval harm = perPeriod == 0 ? new Interval(-1, 1)
                : new Interval((now.lower() - capacity) / perPeriod, (now.upper() - capacity) / perPeriod);
        double estimate = perPeriod == 0 ? 0 : (now.estimate() - capacity) / perPeriod;
        return new GuardrailAssessment(g, j, estimate, harm, c.treatmentExposure(), c.controlExposure(), alpha,
                missing, Double.NaN, new LimitCheck(capacity, g.periodMillis(), perPeriod, projections, blocks));
    }

    /**
     * A ceiling on the treatment arm's chargeback rate, projected to what its payments reach once their chargebacks
     * are in: chargebacks come up to 120 days after the payment, so of the n approvals' chargebacks only a share
     * pi (the label-delay distribution's expected share at each vintage's age, averaged over the approvals) can have
     * arrived. The chargebacks seen bound p pi (exact sequence on the counts, the whole alpha: one arm), so p lies in
     * [L / pi, U / pi]; the censoring-aware estimate is chargebacks seen / labels expected. Above the ceiling surely:
     * breach; below it surely (with the minimum exposure): pass; otherwise inconclusive, saying how many of the
     * labels are in. Its harm is the rate's excess over the ceiling (margin 0).
     */
    private GuardrailAssessment ceiling(Guardrail g, GuardrailData.DelayedLabels d, double alpha) {
        GuardrailData.ArmRates all = d.all();
        long n = all.treatmentExposure();
        long seen = all.treatmentEvents();
        double expected = d.treatmentLabelsExpected();
        double share = n == 0 ? 0 : expected / n;
        Interval rate = share > 0 ? scaled(rareEvents.interval(seen, n, alpha), share) : new Interval(0, 1);
        double estimate = ratio(seen, expected);
        double ceiling = g.limit();
        Judgement j;
        String missing = null;
        if (rate.lower() > ceiling) {
            j = Judgement.HARMFUL;
        } else if (rate.upper() < ceiling && n >= g.minimumExposurePerArm()) {
            j = Judgement.NON_INFERIOR;
        } else {
            j = Judgement.INCONCLUSIVE;
            missing = String.format(Locale.ROOT, "chargebacks: %.1f%% of the treatment's expected so far; its rate "
                    + "projected %s in [%s, %s] against the ceiling %s", 100 * share, percent(estimate),
                    percent(rate.lower()), percent(rate.upper()), percent(ceiling));
            if (n < g.minimumExposurePerArm()) {
                missing += "; exposure " + n + " (treatment) of the " + g.minimumExposurePerArm() + " needed";
            }
        }
        return new GuardrailAssessment(g, j, estimate - ceiling,
                new Interval(rate.lower() - ceiling, rate.upper() - ceiling), n, all.controlExposure(), alpha, missing,
                share, new LimitCheck(ceiling, 0, 0,
                        List.of(new Projection(1, estimate, rate.lower(), rate.upper())), null));
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

    /** A period as plans write it: 1h, 30m, 1d, 90s. */
    static String periodText(long millis) {
        long s = millis / 1000;
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static String whole(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.4g%%", 100 * rate).replaceAll("\\.?0+%$", "%");
    }

    private static double rate(long events, long exposure) {
        return exposure == 0 ? 0 : (double) events / exposure;
    }
}
