package io.vigil.guardrail.evaluation;

import java.time.Duration;

/**
 * One guardrail of a rollout: a metric on a cohort, the harm tolerated (the non-inferiority margin, in the metric's
 * own units: 0.005 is half a percentage point of a rate, 5 is five milliseconds of p99), what a breach does, and the
 * exposure each arm needs before the guardrail may pass.
 *
 * <p>Some guardrails are judged against a limit of their own instead of against the control arm ({@code limit},
 * NaN for the others, whose margin then is what counts): a LOAD metric against its capacity in events per
 * {@code periodMillis} (reviews per hour, step-ups per day); CHARGEBACK_RATE, when given a ceiling, against that
 * ceiling on the treatment arm's rate (a fraction: 0.009 for 0.9%; no period). Their margin is 0.
 */
public record Guardrail(String name, GuardrailMetric metric, String cohort, double margin, GuardrailAction action,
        long minimumExposurePerArm, double limit, long periodMillis) {

    public Guardrail {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a guardrail needs a name");
        }
        if (metric == null) {
            throw new IllegalArgumentException("metric: required");
        }
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin: must be a finite number >= 0, got " + margin);
        }
        if (action == null) {
            throw new IllegalArgumentException("action: required");
        }
        if (minimumExposurePerArm < 1) {
            throw new IllegalArgumentException("minimum_exposure: must be >= 1 per arm, got " + minimumExposurePerArm);
        }
        if (metric.statistic() == GuardrailMetric.Statistic.LOAD) {
            if (!(limit > 0) || Double.isInfinite(limit)) {
                throw new IllegalArgumentException("capacity: " + metric + " needs a capacity > 0, got " + limit);
            }
            if (periodMillis < 1) {
                throw new IllegalArgumentException("period: " + metric + " needs a period, got " + periodMillis
                        + " ms");
            }
        } else if (!Double.isNaN(limit)) {
            if (!metric.takesCeiling()) {
                throw new IllegalArgumentException("ceiling: " + metric + " takes no ceiling");
            }
            if (!(limit > 0 && limit < 1)) {
                throw new IllegalArgumentException("ceiling: must be a rate within (0, 1), got " + limit);
            }
            if (periodMillis != 0) {
                throw new IllegalArgumentException("period: a ceiling is a rate, it has no period");
            }
        }
        cohort = cohort == null ? "" : cohort;
    }

    /** A guardrail judged against the control arm with a margin. */
    public Guardrail(String name, GuardrailMetric metric, String cohort, double margin, GuardrailAction action,
            long minimumExposurePerArm) {
        this(name, metric, cohort, margin, action, minimumExposurePerArm, Double.NaN, 0);
    }

    /** A LOAD guardrail: its capacity in events per period. */
    public static Guardrail capacity(String name, GuardrailMetric metric, String cohort, double capacity,
            Duration period, GuardrailAction action, long minimumExposurePerArm) {
        return new Guardrail(name, metric, cohort, 0, action, minimumExposurePerArm, capacity, period.toMillis());
    }

    /** A ceiling on the treatment arm's rate (a fraction). */
    public static Guardrail ceiling(String name, GuardrailMetric metric, String cohort, double ceiling,
            GuardrailAction action, long minimumExposurePerArm) {
        return new Guardrail(name, metric, cohort, 0, action, minimumExposurePerArm, ceiling, 0);
    }

    /** Judged against a limit of its own (capacity or ceiling), not against the control arm. */
    public boolean hasLimit() {
        return !Double.isNaN(limit);
    }

    /** A ceiling on the treatment arm's rate. */
    public boolean hasCeiling() {
        return hasLimit() && metric.statistic() != GuardrailMetric.Statistic.LOAD;
    }

    /**
     * Whether its events are labels that arrive long after the decision, so that the aggregation must keep each
     * vintage's expected label share: incorrect approvals (judged on mature vintages), and chargebacks against a
     * ceiling (projected from every vintage, censoring-aware).
     */
    public boolean labelDelayed() {
        return metric.labelDelayed() || hasCeiling();
    }
}
