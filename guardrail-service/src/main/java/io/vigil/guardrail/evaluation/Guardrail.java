package io.vigil.guardrail.evaluation;

/**
 * One guardrail of a rollout: a metric on a cohort, the harm tolerated (the non-inferiority margin, in the metric's
 * own units: 0.005 is half a percentage point of a rate, 5 is five milliseconds of p99), what a breach does, and the
 * exposure each arm needs before the guardrail may pass.
 */
public record Guardrail(String name, GuardrailMetric metric, String cohort, double margin, GuardrailAction action,
        long minimumExposurePerArm) {

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
        cohort = cohort == null ? "" : cohort;
    }
}
