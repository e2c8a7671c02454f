package io.vigil.features.health;

import java.time.Instant;

/**
 * A metric of a feature in a segment crossed its alarm level ({@code alarm}) or went back below it.
 */
public record HealthChange(String feature, Segment segment, HealthMetric metric, boolean alarm, double value,
        double alarmLevel, double referenceValue, long windowCount, long referenceCount, Instant windowStart,
        Instant windowEnd, String detail) {
}
