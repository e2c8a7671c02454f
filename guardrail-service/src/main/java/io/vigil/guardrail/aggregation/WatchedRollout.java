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

    /** At most this many guardrails per rollout: each is a bit of a 64-bit mask in the deltas. */
    public static final int MAX_GUARDRAILS = 64;

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

    /** +1 treatment, -1 control, 0 not part of this rollout's comparison. */
    public int armOf(DecisionProjection d) {
        if (d.getPaymentTimeMillis() < start()) {
            return 0;
        }
        if (d.getArm() == Arm.ARM_CHALLENGER_VALUE && d.getModelVersion().equals(watch.getTreatmentModelVersion())) {
            return 1;
        }
        return d.getArm() == Arm.ARM_CHAMPION_VALUE ? -1 : 0;
    }

    /** Bit g set when the decision counts toward guardrail g's exposure. */
    public long exposedMask(DecisionProjection d) {
        long mask = 0;
        for (int g = 0; g < guardrails.size(); g++) {
            if (cohorts.get(g).matches(d) && MetricCounting.exposed(guardrails.get(g).metric(), d)) {
                mask |= 1L << g;
            }
        }
        return mask;
    }

    /** Bit g set when the decision itself is an event of guardrail g. */
    public long decisionEventMask(DecisionProjection d, long exposed) {
        long mask = 0;
        for (int g = 0; g < guardrails.size(); g++) {
            if ((exposed & (1L << g)) != 0 && MetricCounting.eventAtDecision(guardrails.get(g).metric(), d)) {
                mask |= 1L << g;
            }
        }
        return mask;
    }

    /** Bit g set when this outcome of the decision is an event of guardrail g. */
    public long outcomeEventMask(DecisionProjection d, int outcomeKind) {
        long mask = 0;
        for (int g = 0; g < guardrails.size(); g++) {
            if (cohorts.get(g).matches(d) && MetricCounting.eventAtOutcome(guardrails.get(g).metric(), d, outcomeKind)) {
                mask |= 1L << g;
            }
        }
        return mask;
    }
}
