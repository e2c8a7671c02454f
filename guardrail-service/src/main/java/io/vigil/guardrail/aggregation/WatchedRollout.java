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

    private WatchedRollout(RolloutWatch watch, List<Guardrail> guardrails, List<CohortExpression> cohorts) {
        this.watch = watch;
        this.guardrails = guardrails;
        this.cohorts = cohorts;
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
                    g.getMargin(), GuardrailAction.valueOf(g.getAction()), g.getMinimumExposurePerArm()));
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

    private int words() {
        return (guardrails.size() + 63) >>> 6;
    }
}
