package io.vigil.incident.allclear;

/**
 * What "all clear" means for one incident (defaults from its opening alarm; a commander may change them).
 *
 * @param metric          the metric that alarmed, e.g. INCORRECT_APPROVAL_RATE
 * @param cohort          its cohort, e.g. "country=CA & age=18-24"
 * @param threshold       the rate every window must be at or under, e.g. 0.023
 * @param windows         how many consecutive windows, e.g. 3
 * @param windowMinutes   their length, e.g. 30
 * @param volumeTolerance each window's decisions within this relative distance of the pre-incident volume, e.g. 0.30
 * @param queueShare      the review queue's load over capacity must stay under this, e.g. 0.80
 */
public record AllClearCriteria(String metric, String cohort, double threshold, int windows, int windowMinutes,
        double volumeTolerance, double queueShare) {
}
