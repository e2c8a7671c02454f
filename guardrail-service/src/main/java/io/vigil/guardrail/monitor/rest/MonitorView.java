package io.vigil.guardrail.monitor.rest;

import java.time.Instant;

/**
 * A monitor as REST shows it. Rates are in the metric's own terms (conversion as conversion); {@code state} is
 * NO_DATA before its first counted minute; {@code on_list} says whether it is on the FDR-controlled list (e-BH).
 */
public record MonitorView(String id, String cohort, String metric, String state, Double estimate, long exposure,
        Double baseline, String baselineSource, int baselineWeeks, Double bandLower, Double bandUpper,
        Double logStatistic, double logPageThreshold, boolean onList, Instant alarmSince, Instant evaluatedThrough) {
}
