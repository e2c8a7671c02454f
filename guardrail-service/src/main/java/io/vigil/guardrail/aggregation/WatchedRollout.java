package io.vigil.guardrail.aggregation;

import java.util.ArrayList;
import java.util.List;

import io.vigil.contracts.scoring.v1.Arm;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.guardrail.evaluation.Guardrail;
import io.vigil.guardrail.evaluation.GuardrailAction;
import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * A rollout watch read for use: its guardrails parsed (metric, action, cohort), which arm a decision belongs to, and
 * the treatment share at any event time. Built once per watch version, not per record.
 */
public final class WatchedRollout {

    /** At most this many guardrails per rollout (e.g. 50 cohorts x 8 metrics): each is a bit of the deltas' words. */
    public static final int MAX_GUARDRAILS = 1024;

    private final RolloutWatch watch;
    private final List<Guardrail> guardrails;
    private final List<CohortExpression> cohorts;
    /** The distinct cohorts (50 cohorts x 8 metrics is 50 cohorts to match, not 400) and each guardrail's among them. */
    private final List<CohortExpression> distinctCohorts;
    private final int[] cohortOf;
    private final GuardrailMetric[] metrics;

    private WatchedRollout(RolloutWatch watch, List<Guardrail> guardrails, List<CohortExpression> cohorts) {
        this.watch = watch;
        this.guardrails = guardrails;
        this.cohorts = cohorts;
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        List<CohortExpression> distinct = new ArrayList<>();
        this.cohortOf = new int[cohorts.size()];
        this.metrics = new GuardrailMetric[cohorts.size()];
        for (int g = 0; g < cohorts.size(); g++) {
            CohortExpression c = cohorts.get(g);
            cohortOf[g] = index.computeIfAbsent(c.toString(), k -> {
                distinct.add(c);
                return distinct.size() - 1;
            });
            metrics[g] = guardrails.get(g).metric();
        }
        this.distinctCohorts = List.copyOf(distinct);
    }

    /** @throws IllegalArgumentException naming what cannot be watched */
    public static WatchedRollout of(RolloutWatch w) {
        if (w.getGuardrailsCount() == 0 || w.getGuardrailsCount() > MAX_GUARDRAILS) {
            throw new IllegalArgumentException("guardrails: a rollout watches 1 to " + MAX_GUARDRAILS + ", got "
                    + w.getGuardrailsCount());
        }
        if (w.getSharesCount() == 0) {
            throw new IllegalArgumentException("shares: a rollout needs at least one share step");
        }
        long previous = Long.MIN_VALUE;
        for (ShareChange s : w.getSharesList()) {
            if (!(s.getShare() > 0 && s.getShare() < 1) || s.getFromMillis() <= previous) {
                throw new IllegalArgumentException("shares: each step needs a share in (0, 1) and a later start");
            }
            previous = s.getFromMillis();
        }
        List<Guardrail> guardrails = new ArrayList<>();
        List<CohortExpression> cohorts = new ArrayList<>();
        for (WatchedGuardrail g : w.getGuardrailsList()) {
            CohortExpression cohort = CohortExpression.parse(g.getCohort());
            guardrails.add(new Guardrail(g.getName(), GuardrailMetric.valueOf(g.getMetric()), cohort.toString(),
                    g.getMargin(), GuardrailAction.valueOf(g.getAction()), g.getMinimumExposurePerArm(),
                    g.hasLimit() ? g.getLimit() : Double.NaN, g.getPeriodMillis()));
            cohorts.add(cohort);
        }
        return new WatchedRollout(w, List.copyOf(guardrails), List.copyOf(cohorts));
    }

    public RolloutWatch watch() {
        return watch;
    }

    public List<Guardrail> guardrails() {
        return guardrails;
    }

    public long start() {
        return watch.getShares(0).getFromMillis();
    }

    /** The treatment share in force at {@code time}, or 0 before the rollout started. */
    public double shareAt(long time) {
        double share = 0;
        for (ShareChange s : watch.getSharesList()) {
            if (s.getFromMillis() <= time) {
                share = s.getShare();
            }
        }
        return share;
    }

    /**
     * The share of the step after the one in force at {@code time}: the plan's next step, or 1 when the current step
     * is the last (promotion then completes: the target takes all traffic) or the watch names no planned shares.
     */
    public double nextShareAt(long time) {
        int current = -1;
        for (ShareChange s : watch.getSharesList()) {
            if (s.getFromMillis() <= time) {
                current++;
            }
        }
        int next = current + 1;
        return next < watch.getPlannedSharesCount() ? watch.getPlannedShares(next) : 1.0;
    }

    /** When the step in force at {@code time} began. */
    public long stepStart(long time) {
        long start = start();
        for (ShareChange s : watch.getSharesList()) {
            if (s.getFromMillis() <= time) {
                start = s.getFromMillis();
            }
        }
        return start;
    }

    /**
     * +1 treatment, -1 control, 0 not part of this rollout's comparison. By the arm the account was routed to when the
     * decision says (so a fallback on the challenger's traffic is the challenger's), else by the arm that decided.
     */
    public int armOf(DecisionProjection d) {
        if (d.getPaymentTimeMillis() < start()) {
            return 0;
        }
        boolean routed = d.getRoutedArm() != Arm.ARM_UNSPECIFIED_VALUE;
        int arm = routed ? d.getRoutedArm() : d.getArm();
        String version = routed ? d.getRoutedModelVersion() : d.getModelVersion();
        if (arm == Arm.ARM_CHALLENGER_VALUE && version.equals(watch.getTreatmentModelVersion())) {
            return 1;
        }
        return arm == Arm.ARM_CHAMPION_VALUE ? -1 : 0;
    }

    /** Bit g set (in word g / 64) when the decision counts toward guardrail g's exposure. */
    public long[] exposedWords(DecisionProjection d) {
        long[] words = new long[words()];
        for (int g = 0; g < guardrails.size(); g++) {
            if (cohorts.get(g).matches(d) && MetricCounting.exposed(guardrails.get(g).metric(), d)) {
                words[g >>> 6] |= 1L << g;
            }
        }
        return words;
    }

    /** Bit g set when the decision itself is an event of guardrail g. */
    public long[] decisionEventWords(DecisionProjection d, long[] exposed) {
        long[] words = new long[words()];
        for (int g = 0; g < guardrails.size(); g++) {
            if ((exposed[g >>> 6] & (1L << g)) != 0 && MetricCounting.eventAtDecision(guardrails.get(g).metric(), d)) {
                words[g >>> 6] |= 1L << g;
            }
        }
        return words;
    }

    /** Bit g set when this outcome of the decision is an event of guardrail g. */
    public long[] outcomeEventWords(DecisionProjection d, int outcomeKind) {
        long[] words = new long[words()];
        for (int g = 0; g < guardrails.size(); g++) {
            if (cohorts.get(g).matches(d)
                    && MetricCounting.eventAtOutcome(guardrails.get(g).metric(), d, outcomeKind)) {
                words[g >>> 6] |= 1L << g;
            }
        }
        return words;
    }

    /**
     * Counts a decision on its arm: the decision itself, and for every guardrail whose cohort it is in and whose
     * exposure it counts toward, the exposure, the event if the decision is one, and Score's latency for a latency
     * guardrail.
     */
    void countDecision(DecisionProjection d, boolean treatment, BucketCounts into) {
        boolean[] in = cohortsOf(d);
        into.decision(treatment);
        for (int g = 0; g < metrics.length; g++) {
            GuardrailMetric m = metrics[g];
            if (!in[cohortOf[g]] || !MetricCounting.exposed(m, d)) {
                continue;
            }
            into.exposure(g, treatment, 1);
            if (m.statistic() == GuardrailMetric.Statistic.QUANTILE) {
                into.latency(g, treatment, d.getScoreLatencyMicros(), 1);
            } else if (MetricCounting.eventAtDecision(m, d)) {
                into.event(g, treatment, 1);
            }
        }
    }

    /** The guardrails this outcome of the decision is an event of (empty: nothing to count). */
    int[] outcomeEvents(DecisionProjection d, int outcomeKind) {
        boolean[] in = null;
        int[] hits = new int[0];
        for (int g = 0; g < metrics.length; g++) {
            if (!MetricCounting.eventAtOutcome(metrics[g], d, outcomeKind)) {
                continue;
            }
            if (in == null) {
                in = cohortsOf(d);
            }
            if (in[cohortOf[g]]) {
                hits = java.util.Arrays.copyOf(hits, hits.length + 1);
                hits[hits.length - 1] = g;
            }
        }
        return hits;
    }

    private boolean[] cohortsOf(DecisionProjection d) {
        boolean[] in = new boolean[distinctCohorts.size()];
        for (int c = 0; c < in.length; c++) {
            in[c] = distinctCohorts.get(c).matches(d);
        }
        return in;
    }

    private int words() {
        return (guardrails.size() + 63) >>> 6;
    }
}
