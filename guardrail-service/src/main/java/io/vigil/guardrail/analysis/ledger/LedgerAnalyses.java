package io.vigil.guardrail.analysis.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vigil.guardrail.analysis.DifferenceInDifferences;
import io.vigil.guardrail.analysis.FunnelBreakpoints;
import io.vigil.guardrail.analysis.ImpactAnalysis;
import io.vigil.guardrail.analysis.InvalidAnalysisException;
import io.vigil.guardrail.analysis.RateEstimate;
import io.vigil.guardrail.analysis.SliceContribution;
import io.vigil.guardrail.analysis.SwitchbackPlan;
import io.vigil.guardrail.analysis.ThresholdWhatIf;
import io.vigil.guardrail.analysis.ledger.AnalysisViews.Baseline;
import io.vigil.guardrail.analysis.ledger.AnalysisViews.Ci;
import io.vigil.guardrail.analysis.ledger.AnalysisViews.Rate;
import io.vigil.guardrail.analysis.ledger.AnalysisViews.WindowView;

/**
 * The on-call lead's analyses over the decision ledger: the counts come from {@link LedgerQueries}, the statistics
 * from the plain classes of {@code io.vigil.guardrail.analysis} (tested there against hand-worked figures). Requests
 * are validated before anything is read; the answers are {@link AnalysisViews}.
 */
@ApplicationScoped
public class LedgerAnalyses {

    public static final double CONFIDENCE = 0.95;

    private final LedgerQueries ledger;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    LedgerAnalyses(LedgerQueries ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The window asked for, "now" being the later of the clock and the ledger's newest event time. */
    public Uni<Window> window(String from, String to) {
        return ledger.newestEventAt().map(newest -> {
            Instant now = clock.instant();
            Instant latest = newest.filter(n -> n.isAfter(now)).map(n -> n.plusMillis(1)).orElse(now);
            return Window.of(from, to, latest);
        });
    }

    static String cohortName(Cohort c) {
        return c.isEveryone() ? "all decisions" : c.toString();
    }

    static String denominator(Cohort c, LedgerMetric m) {
        return m.exposureName() + " of " + cohortName(c) + " in the window (the cohort's own volume, event time)";
    }

    // ---- impact

    public Uni<AnalysisViews.Impact> impact(Cohort cohort, LedgerMetric metric, Window window, Double baselineRate) {
        checkRate(baselineRate, "baseline_rate");
        return ledger.counts(cohort, metric, window).flatMap(now -> baseline(cohort, metric, window, baselineRate)
                .map(base -> impact(cohort, metric, window, now, base)));
    }

    /** The baseline as a harm rate (the complement of a given rate where lower is worse). */
    private Uni<Baseline> baseline(Cohort cohort, LedgerMetric metric, Window window, Double given) {
        if (given != null) {
            return Uni.createFrom().item(new Baseline("given", null, null, null,
                    metric.lowerIsWorse() ? 1 - given : given));
        }
        Window before = window.preceding();
        return ledger.counts(cohort, metric, before).map(c -> {
            long harmed = metric.harmed(c.events(), c.n());
            return new Baseline("the cohort in the preceding window", WindowView.of(before), c.n(), harmed,
                    c.n() == 0 ? null : (double) harmed / c.n());
        });
    }

    private AnalysisViews.Impact impact(Cohort cohort, LedgerMetric metric, Window window, LedgerQueries.Counts counts,
            Baseline base) {
        String denominator = denominator(cohort, metric);
        LedgerQueries.Counts c = new LedgerQueries.Counts(counts.n(), metric.harmed(counts.events(), counts.n()),
                metric.lowerIsWorse() ? null : counts.averageEventAmountUsd(), counts.averageAmountUsd(),
                counts.siteN());
        if (c.n() == 0) {
            return new AnalysisViews.Impact(cohortName(cohort), metric.key(), metric.harmed(), WindowView.of(window),
                    0, 0, denominator, null, null, base, null, null, null, null, null, null, c.siteN(),
                    "no " + metric.exposureName() + " of this cohort in the window: no rate");
        }
        RateEstimate rate = RateEstimate.of(c.events(), c.n(), CONFIDENCE);
        if (base.rate() == null) {
            return new AnalysisViews.Impact(cohortName(cohort), metric.key(), metric.harmed(), WindowView.of(window),
                    c.n(), c.events(), denominator, rate.rate(), Ci.of(rate.interval(), CONFIDENCE), base, null, null,
                    null, c.averageAmountUsd(), null, null, c.siteN(),
                    "no baseline: the preceding window has no data; pass baseline_rate");
        }
        // Money at stake per excess harmed payment: the average amount of the harmed ones (else of all exposed).
        Double amount = c.averageEventAmountUsd() != null ? c.averageEventAmountUsd() : c.averageAmountUsd();
        ImpactAnalysis.Result r = ImpactAnalysis.analyse(new ImpactAnalysis.Request(cohortName(cohort), metric.key(),
                c.events(), c.n(), c.siteN(), base.rate(), amount == null ? 0 : amount, CONFIDENCE));
        return new AnalysisViews.Impact(cohortName(cohort), metric.key(), metric.harmed(), WindowView.of(window),
                c.n(), c.events(), denominator + "; " + r.denominator(), rate.rate(),
                Ci.of(rate.interval(), CONFIDENCE), base, r.expectedHarmed(), r.excessHarmed(),
                Ci.of(r.excessInterval(), CONFIDENCE), amount,
                amount == null ? null : r.moneyAtStakeUsd(), amount == null ? null : Ci.of(r.moneyInterval(),
                        CONFIDENCE), c.siteN(), null);
    }

    // ---- slices

    public Uni<AnalysisViews.Slices> slices(Cohort cohort, LedgerMetric metric, Window window, String by,
            Double baselineRate, int limit) {
        checkRate(baselineRate, "baseline_rate");
        String column = Cohort.column(by, "by");
        return ledger.counts(cohort, metric, window).flatMap(c -> baseline(cohort, metric, window, baselineRate)
                .flatMap(base -> ledger.slices(cohort, metric, window, column).map(rows -> {
                    String denominator = denominator(cohort, metric);
                    if (c.n() == 0 || base.rate() == null) {
                        return new AnalysisViews.Slices(cohortName(cohort), metric.key(), metric.harmed(), by,
                                WindowView.of(window), c.n(), metric.harmed(c.events(), c.n()), denominator, base,
                                null, rows.size(), List.of(),
                                c.n() == 0 ? "no data in the window" : "no baseline: pass baseline_rate");
                    }
                    List<SliceContribution.Slice> slices = rows.stream().map(s -> new SliceContribution.Slice(
                            s.value(), metric.harmed(s.events(), s.n()), s.n())).toList();
                    List<SliceContribution.Contribution> ranked = SliceContribution.rank(slices, base.rate(),
                            CONFIDENCE);
                    double total = ranked.stream().mapToDouble(SliceContribution.Contribution::excess).sum();
                    List<AnalysisViews.SliceView> views = new ArrayList<>();
                    for (SliceContribution.Contribution k : ranked.subList(0, Math.min(limit, ranked.size()))) {
                        views.add(new AnalysisViews.SliceView(mask(column, k.value()), k.rate().trials(),
                                k.rate().events(), k.rate().rate(), Ci.of(k.rate().interval(), CONFIDENCE),
                                k.excess(), Ci.of(k.excessInterval(), CONFIDENCE), finite(k.share()),
                                finite(k.cumulativeShare())));
                    }
                    return new AnalysisViews.Slices(cohortName(cohort), metric.key(), metric.harmed(), column,
                            WindowView.of(window), c.n(), metric.harmed(c.events(), c.n()), denominator, base,
                            total, ranked.size(), views,
                            total > 0 ? null : "no excess over the baseline: shares are not defined");
                })));
    }

    // ---- threshold what-if

    public Uni<AnalysisViews.WhatIf> whatIf(Cohort cohort, Window window, double threshold, double current,
            String model, Long payments, Double reviewCapacity) {
        checkThreshold(threshold, "threshold");
        checkThreshold(current, "current_threshold");
        if (payments != null && payments < 0) {
            throw new InvalidAnalysisException("payments", "must be >= 0, got " + payments);
        }
        if (reviewCapacity != null && !(reviewCapacity >= 0)) {
            throw new InvalidAnalysisException("review_capacity", "must be >= 0, got " + reviewCapacity);
        }
        return ledger.scoredLabels(cohort, window, model).map(s -> {
            long n = s.scores().length;
            long frauds = 0;
            for (boolean f : s.fraud()) {
                frauds += f ? 1 : 0;
            }
            String denominator = "decisions of " + cohortName(cohort) + " in the window with "
                    + (model == null ? "the deciding score" : "a score from model " + model)
                    + "; fraud = a fraud report or chargeback in the ledger, every other decision counts as legitimate";
            String caveat = "declined payments are never labelled: rates at thresholds below today's decline line "
                    + "count their frauds as legitimate";
            if (frauds == 0 || frauds == n) {
                return new AnalysisViews.WhatIf(cohortName(cohort), WindowView.of(window), model, n, frauds,
                        s.withoutScore(), denominator, null, null, payments, null, null, null, null, null, null,
                        null, reviewCapacity, null, n == 0 ? "no decisions in the window: no rates"
                                : "need labelled frauds and legitimate payments, got " + frauds + " of " + n);
            }
            ThresholdWhatIf.OperatingPoint before = ThresholdWhatIf.ratesAt(s.scores(), s.fraud(), current);
            ThresholdWhatIf.OperatingPoint after = ThresholdWhatIf.ratesAt(s.scores(), s.fraud(), threshold);
            long volume = payments != null ? payments : n;
            double capacity = reviewCapacity != null ? reviewCapacity : Double.POSITIVE_INFINITY;
            ThresholdWhatIf.Result r = ThresholdWhatIf.compare(before, after, volume, (double) frauds / n,
                    capacity == Double.POSITIVE_INFINITY ? Double.MAX_VALUE : capacity);
            return new AnalysisViews.WhatIf(cohortName(cohort), WindowView.of(window), model, n, frauds,
                    s.withoutScore(), denominator, point(before), point(after), volume, r.prevalence(),
                    r.flaggedBefore(), r.flaggedAfter(), r.flaggedAdded(), r.falsePositivesAdded(),
                    r.fraudsNewlyCaught(), r.approvalsLost(), reviewCapacity,
                    reviewCapacity == null ? null : r.withinCapacity(), caveat);
        });
    }

    private static AnalysisViews.OperatingPointView point(ThresholdWhatIf.OperatingPoint p) {
        return new AnalysisViews.OperatingPointView(p.threshold(), p.truePositiveRate(), p.falsePositiveRate());
    }

    // ---- funnel

    public Uni<AnalysisViews.Funnel> funnel(Cohort cohort, Window window, Instant at) {
        if (!at.isAfter(window.from()) || !at.isBefore(window.to())) {
            throw new InvalidAnalysisException("at", "the change time " + at + " must lie inside the window ("
                    + window.from() + ", " + window.to() + ")");
        }
        return ledger.funnel(cohort, window, at).map(rows -> funnel(cohort, window, at, rows));
    }

    AnalysisViews.Funnel funnel(Cohort cohort, Window window, Instant at, List<LedgerQueries.FunnelCounts> rows) {
        Map<String, LedgerQueries.FunnelCounts[]> byChannel = new LinkedHashMap<>();
        long n = 0;
        for (LedgerQueries.FunnelCounts r : rows) {
            byChannel.computeIfAbsent(r.channel(), k -> new LedgerQueries.FunnelCounts[2])[r.after() ? 1 : 0] = r;
            n += r.reached()[0];
        }
        List<String> steps = LedgerQueries.FUNNEL_STEPS;
        double afterDays = Duration.between(at, window.to()).toMillis() / 86_400_000.0;
        List<AnalysisViews.ChannelFunnel> channels = new ArrayList<>();
        String brokenChannel = null;
        String brokenStep = null;
        double worst = 0;
        for (Map.Entry<String, LedgerQueries.FunnelCounts[]> e : byChannel.entrySet()) {
            LedgerQueries.FunnelCounts b = e.getValue()[0];
            LedgerQueries.FunnelCounts a = e.getValue()[1];
            String channel = e.getKey().isEmpty() ? "(unknown)" : e.getKey();
            if (b == null || a == null || b.reached()[0] == 0 || a.reached()[0] == 0) {
                channels.add(new AnalysisViews.ChannelFunnel(channel, b == null ? null : b.reached(),
                        a == null ? null : a.reached(), List.of(), null, null, null, null,
                        "no data " + (b == null ? "before" : "after") + " the change time: nothing to compare"));
                continue;
            }
            Double aov = a.averageOrderUsd() != null ? a.averageOrderUsd() : b.averageOrderUsd();
            double sessionsPerDay = a.reached()[0] / afterDays;
            FunnelBreakpoints.Result r = FunnelBreakpoints.compare(new FunnelBreakpoints.Funnel(steps, b.reached()),
                    new FunnelBreakpoints.Funnel(steps, a.reached()), sessionsPerDay, aov == null ? 0 : aov,
                    CONFIDENCE);
            List<AnalysisViews.StepView> stepViews = new ArrayList<>();
            for (FunnelBreakpoints.StepChange s : r.steps()) {
                stepViews.add(new AnalysisViews.StepView(s.step(), Rate.of(s.before()), Rate.of(s.after()),
                        finite(s.change()), Double.isNaN(s.change()) ? null : Ci.of(s.interval(), CONFIDENCE),
                        s.significantDrop()));
            }
            String broken = r.brokenStep() == null ? null : r.brokenStep().step();
            if (r.brokenStep() != null && r.brokenStep().change() < worst) {
                worst = r.brokenStep().change();
                brokenChannel = channel;
                brokenStep = broken;
            }
            channels.add(new AnalysisViews.ChannelFunnel(channel, b.reached(), a.reached(), stepViews, broken,
                    sessionsPerDay, aov, aov == null ? null : new AnalysisViews.RevenueView(r.revenue().worst(),
                            r.revenue().base(), r.revenue().best()), null));
        }
        return new AnalysisViews.Funnel(cohortName(cohort), WindowView.of(window), at, n,
                "sessions (decisions) of " + cohortName(cohort) + " per channel, before and after the change time; "
                        + "each step's conversion over those that reached the step before",
                steps, channels, brokenChannel, brokenStep, n == 0 ? "no decisions in the window" : null);
    }

    // ---- difference in differences

    public Uni<AnalysisViews.DiD> did(Cohort cohort, String controlText, LedgerMetric metric, Window window,
            Instant at) {
        if (cohort.isEveryone()) {
            throw new InvalidAnalysisException("cohort", "name the affected cohort (e.g. channel=voice)");
        }
        if (!at.isAfter(window.from()) || !at.isBefore(window.to())) {
            throw new InvalidAnalysisException("at", "the change time " + at + " must lie inside the window");
        }
        Cohort control = controlText == null || controlText.isBlank() ? cohort : Cohort.parse(controlText, "control");
        boolean complement = control == cohort;
        String controlName = complement ? "every decision outside " + cohort : cohortName(control);
        return ledger.beforeAfter(cohort, false, metric, window, at).flatMap(aff -> ledger
                .beforeAfter(control, complement, metric, window, at).map(ctl -> {
                    Rate ab = Rate.of(RateEstimate.of(aff[1], aff[0], CONFIDENCE));
                    Rate aa = Rate.of(RateEstimate.of(aff[3], aff[2], CONFIDENCE));
                    Rate cb = Rate.of(RateEstimate.of(ctl[1], ctl[0], CONFIDENCE));
                    Rate ca = Rate.of(RateEstimate.of(ctl[3], ctl[2], CONFIDENCE));
                    String denominator = metric.exposureName() + " of each cohort before and after the change time";
                    if (aff[0] == 0 || aff[2] == 0 || ctl[0] == 0 || ctl[2] == 0) {
                        return new AnalysisViews.DiD(cohortName(cohort), controlName, metric.key(),
                                WindowView.of(window), at, ab, aa, cb, ca, denominator, null, null, null, null, null,
                                "a cell has no data (n = 0): no estimate");
                    }
                    DifferenceInDifferences.Result r = DifferenceInDifferences.estimate(
                            new DifferenceInDifferences.Cell(aff[1], aff[0]),
                            new DifferenceInDifferences.Cell(aff[3], aff[2]),
                            new DifferenceInDifferences.Cell(ctl[1], ctl[0]),
                            new DifferenceInDifferences.Cell(ctl[3], ctl[2]), CONFIDENCE);
                    return new AnalysisViews.DiD(cohortName(cohort), controlName, metric.key(), WindowView.of(window),
                            at, ab, aa, cb, ca, denominator, r.affectedChange(), r.unaffectedChange(), r.estimate(),
                            Ci.of(r.interval(), CONFIDENCE), r.significant(),
                            "causal only under parallel trends: the control must stand for what the cohort would "
                                    + "have done without the change");
                }));
    }

    // ---- switchback

    public Uni<AnalysisViews.Switchback> switchback(Cohort cohort, LedgerMetric metric, Window window, double effect,
            double carryOverHours, double alpha, double power) {
        if (!(effect >= 0.0001 && effect < 1)) {
            throw new InvalidAnalysisException("effect", "must lie in [0.0001, 1) (absolute, e.g. 0.005), got "
                    + effect);
        }
        if (!(carryOverHours >= 0 && carryOverHours <= 168)) {
            throw new InvalidAnalysisException("carry_over_hours", "must lie in [0, 168], got " + carryOverHours);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new InvalidAnalysisException("alpha", "must lie in (0, 1), got " + alpha);
        }
        if (!(power > 0 && power < 1)) {
            throw new InvalidAnalysisException("power", "must lie in (0, 1), got " + power);
        }
        return ledger.hourly(cohort, metric, window).map(hours -> {
            long n = hours.stream().mapToLong(LedgerQueries.HourCount::n).sum();
            long events = hours.stream().mapToLong(LedgerQueries.HourCount::events).sum();
            String denominator = denominator(cohort, metric) + ", per hour of event time";
            double windowHours = window.length().toMillis() / 3_600_000.0;
            if (n == 0 || events == 0 || events == n) {
                return new AnalysisViews.Switchback(cohortName(cohort), metric.key(), WindowView.of(window), n,
                        denominator, n == 0 ? null : (double) events / n, n == 0 ? null : n / windowHours, null,
                        effect, carryOverHours, alpha, power, null, null, null, null,
                        n == 0 ? "no data in the window: no plan" : "the rate is 0 or 1 in the window: no plan");
            }
            double p = (double) events / n;
            double perHour = n / windowHours;
            double tau = betweenHourSd(hours, p);
            SwitchbackPlan.Plan plan = SwitchbackPlan.plan(p, effect, perHour, carryOverHours, tau, alpha, power);
            return new AnalysisViews.Switchback(cohortName(cohort), metric.key(), WindowView.of(window), n,
                    denominator, p, perHour, tau, effect, carryOverHours, alpha, power, plan.blockHours(),
                    plan.decisionsPerBlock(), plan.blocks(), plan.totalHours(),
                    "between-hour sd: the spread of hourly rates beyond their binomial noise (method of moments)");
        });
    }

    /**
     * The rate's own variation between hours: the variance of the hourly rates minus the binomial part p(1-p)/n_h
     * they would show anyway (method of moments, floored at 0). Hours with no exposure say nothing and are skipped.
     */
    static double betweenHourSd(List<LedgerQueries.HourCount> hours, double p) {
        int k = 0;
        double sum = 0;
        double sumSq = 0;
        double noise = 0;
        for (LedgerQueries.HourCount h : hours) {
            if (h.n() == 0) {
                continue;
            }
            double r = (double) h.events() / h.n();
            sum += r;
            sumSq += r * r;
            noise += p * (1 - p) / h.n();
            k++;
        }
        if (k < 2) {
            return 0;
        }
        double mean = sum / k;
        double variance = (sumSq - k * mean * mean) / (k - 1);
        return Math.sqrt(Math.max(0, variance - noise / k));
    }

    // ---- cases

    public Uni<AnalysisViews.Cases> cases(Cohort cohort, Window window, int perStratum) {
        if (perStratum < 1 || perStratum > 50) {
            throw new InvalidAnalysisException("per_stratum", "must lie in [1, 50], got " + perStratum);
        }
        return ledger.counts(cohort, LedgerMetric.APPROVAL, window).flatMap(c -> ledger.cases(cohort, window,
                perStratum).map(rows -> {
                    Map<String, Long> strata = new LinkedHashMap<>();
                    List<AnalysisViews.CaseView> cases = new ArrayList<>();
                    for (LedgerQueries.CaseRow r : rows) {
                        strata.merge(r.stratum(), 1L, Long::sum);
                        cases.add(new AnalysisViews.CaseView(r.stratum(), r.decisionId(), r.transactionId(),
                                maskAccount(r.accountId()), r.eventAt(), r.decision(), r.score(), r.channel(),
                                r.merchantId(), r.deviceId(), maskBin(r.cardBin()), r.country(), r.ageBand(),
                                r.amountUsd(), tree(r.features()), tree(r.reasons()), tree(r.armScores()),
                                tree(r.outcomes())));
                    }
                    return new AnalysisViews.Cases(cohortName(cohort), WindowView.of(window), c.n(), perStratum,
                            strata.entrySet().stream().map(e -> new AnalysisViews.Stratum(e.getKey(), e.getValue()))
                                    .toList(), cases);
                }));
    }

    private JsonNode tree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ledger holds JSON that does not parse", e);
        }
    }

    /** An account id as answers show it: its last four characters only. */
    static String maskAccount(String account) {
        if (account == null || account.isEmpty()) {
            return "";
        }
        return "****" + account.substring(Math.max(0, account.length() - 4));
    }

    /** A BIN as answers show it: the first four digits (the network and issuer family), the rest starred. */
    static String maskBin(String bin) {
        if (bin == null || bin.isEmpty()) {
            return "";
        }
        return bin.substring(0, Math.min(4, bin.length())) + "*".repeat(Math.max(0, bin.length() - 4));
    }

    private static String mask(String column, String value) {
        return "card_bin".equals(column) ? maskBin(value) : value;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void checkRate(Double rate, String field) {
        if (rate != null && !(rate >= 0 && rate <= 1)) {
            throw new InvalidAnalysisException(field, "must lie in [0, 1], got " + rate);
        }
    }

    private static void checkThreshold(double t, String field) {
        if (!(t > 0 && t < 1)) {
            throw new InvalidAnalysisException(field, "must lie strictly between 0 and 1, got " + t);
        }
    }
}
