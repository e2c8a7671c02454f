package io.vigil.features.health;

import io.vigil.contracts.events.v1.FeatureHealthMetric;

/** What a feature health alarm measures; mirrors vigil.events.v1.FeatureHealthMetric. */
public enum HealthMetric {
    PSI(FeatureHealthMetric.FEATURE_HEALTH_METRIC_PSI),
    KS(FeatureHealthMetric.FEATURE_HEALTH_METRIC_KS),
    DEFAULT_RATE(FeatureHealthMetric.FEATURE_HEALTH_METRIC_DEFAULT_RATE),
    NULL_RATE(FeatureHealthMetric.FEATURE_HEALTH_METRIC_NULL_RATE),
    OUT_OF_RANGE_RATE(FeatureHealthMetric.FEATURE_HEALTH_METRIC_OUT_OF_RANGE_RATE),
    STALE_RATE(FeatureHealthMetric.FEATURE_HEALTH_METRIC_STALE_RATE);

    private final FeatureHealthMetric wire;

    HealthMetric(FeatureHealthMetric wire) {
        this.wire = wire;
    }

    public FeatureHealthMetric wire() {
        return wire;
    }
}
