package io.vigil.guardrail.monitor;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.guardrail.aggregation.MetricCounting;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * What a cohort monitor watches: one rate per metric of the guardrails, each as "exposure" (the denominator) and
 * "events" (the numerator) counted per event-time minute, with the same rules the rollouts count by
 * ({@link MetricCounting}). Every monitor detects a rise of its <em>bad</em> rate, so conversion is watched as
 * non-conversion (exposure minus orders), and latency as the share of Score calls slower than a limit.
 *
 * <p>Incorrect approvals are the one metric whose labels come days later (fraud reports, chargebacks). Attributed to
 * the decision's minute they would reach a monitor only once mature (weeks; the rollouts judge them that way). A
 * monitor needs a real-time proxy instead: the fraud labels <em>arriving</em> in a minute against the cohort's
 * approvals in that minute. In a steady state that ratio is the true rate convolved with the label-delay
 * distribution, and the seasonal baseline of the same ratio absorbs the delay; a rise of true fraud shows once its
 * labels start to arrive, which is the clock the detection goal is measured on ("within 30 minutes of the labels").
 */
public enum MonitorMetric {

    DECLINE_RATE("decline_rate", GuardrailMetric.DECLINE_RATE, false, false),
    STEP_UP_RATE("step_up_rate", GuardrailMetric.STEP_UP_RATE, false, false),
    /** Review load: the share of decisions sent to manual review. */
    REVIEW_RATE("review_rate", GuardrailMetric.REVIEW_RATE, false, true),
    FALLBACK_RATE("fallback_rate", GuardrailMetric.FALLBACK_RATE, false, true),
    /** Counted as orders; judged as 1 - conversion (see {@link #badEvents}). */
    CONVERSION("conversion", GuardrailMetric.CONVERSION, true, false),
    /** Fraud labels by arrival minute over approvals by decision minute (the real-time proxy, see above). */
    INCORRECT_APPROVAL("incorrect_approval", GuardrailMetric.INCORRECT_APPROVAL_RATE, false, true),
    /** Score calls slower than {@code guardrail.monitors.slow-score} among those that carried their latency. */
    SLOW_SCORE_RATE("slow_score_rate", GuardrailMetric.SCORE_P99_LATENCY, false, true);

    /**
     * The rises a detector is tuned for, as multiples of the baseline: rare events (a few percent) by half and
     * double, common ones (a decline rate, non-conversion around 30%) by a fifth and a half, where a doubling could
     * not even happen and a 1.5x alternative would be slow to see a 20% rise.
     */
    private static final double[] RARE_ALTERNATIVES = {1.5, 2.0};
    private static final double[] COMMON_ALTERNATIVES = {1.2, 1.5};

    private final String key;
    private final GuardrailMetric counted;
    private final boolean lowerIsWorse;
    private final boolean rare;

    MonitorMetric(String key, GuardrailMetric counted, boolean lowerIsWorse, boolean rare) {
        this.key = key;
        this.counted = counted;
        this.lowerIsWorse = lowerIsWorse;
        this.rare = rare;
    }

    /** The alternatives of this metric's detector, as multiples of the baseline rate. */
    public double[] alternatives() {
        return (rare ? RARE_ALTERNATIVES : COMMON_ALTERNATIVES).clone();
    }

    /** The name in monitor ids, config and REST, e.g. {@code incorrect_approval}. */
    public String key() {
        return key;
    }

    /** The guardrail metric whose counting rules this monitor shares. */
    public GuardrailMetric counted() {
        return counted;
    }

    public static MonitorMetric byKey(String key) {
        for (MonitorMetric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }

    public boolean exposed(DecisionProjection d) {
        return MetricCounting.exposed(counted, d);
    }

    /** An event of the metric decided at scoring time (decline, step-up, review, fallback, a slow Score call). */
    public boolean eventAtDecision(DecisionProjection d, long slowScoreMicros) {
        if (this == SLOW_SCORE_RATE) {
            return d.getScoreLatencyMicros() > slowScoreMicros;
        }
        return MetricCounting.eventAtDecision(counted, d);
    }

    /**
     * An outcome that counts. Conversion counts in the decision's minute (orders follow within minutes; the settle
     * waits for them); incorrect approvals count in the minute the label arrived (the proxy).
     */
    public boolean eventAtOutcome(DecisionProjection d, int outcomeKind) {
        if (this == INCORRECT_APPROVAL) {
            // A label counts for an approved payment whatever cohort exposure it lands beside: the proxy's ratio.
            return d.getDecision() == Decision.DECISION_APPROVE_VALUE
                    && MetricCounting.eventAtOutcome(counted, d, outcomeKind);
        }
        return this == CONVERSION && MetricCounting.eventAtOutcome(counted, d, outcomeKind);
    }

    /** True when the outcome's own time (not the decision's) is the minute it counts in. */
    public boolean countsAtArrival() {
        return this == INCORRECT_APPROVAL;
    }

    /** The bad events among the counted ones: non-conversions for conversion, the events themselves otherwise. */
    public long badEvents(long exposure, long events) {
        return lowerIsWorse ? Math.max(0, exposure - events) : events;
    }

    /** The metric's own rate (conversion as conversion) from a bad-event rate. */
    public double reportedRate(double badRate) {
        return lowerIsWorse ? 1 - badRate : badRate;
    }

    public boolean lowerIsWorse() {
        return lowerIsWorse;
    }
}
