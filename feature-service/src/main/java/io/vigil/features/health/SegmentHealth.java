package io.vigil.features.health;

import java.util.Map;
import java.util.Set;

/**
 * The health of one feature in one segment at the last evaluation.
 *
 * @param windowCount observations in the sliding window
 * @param referenceCount observations in the reference window (0 until the reference is taken)
 * @param rates window rates by metric (DEFAULT_RATE, NULL_RATE, OUT_OF_RANGE_RATE, STALE_RATE)
 * @param referenceRates the same in the reference window
 * @param psi PSI against the reference (NaN when there are too few values)
 * @param psiAlarmLevel the level PSI is compared with at these sample sizes
 * @param ks KS statistic D (NaN for non-numeric features or too few values)
 * @param ksAlarmLevel the level D is compared with
 * @param alarms metrics in alarm
 * @param explainedBy metrics that crossed their level here but are explained by another segment's alarm
 */
public record SegmentHealth(String feature, Segment segment, long windowCount, long referenceCount,
        Map<HealthMetric, Double> rates, Map<HealthMetric, Double> referenceRates, double psi, double psiAlarmLevel,
        double ks, double ksAlarmLevel, Set<HealthMetric> alarms, Map<HealthMetric, String> explainedBy) {
}
