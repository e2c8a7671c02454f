package io.vigil.scoring.policy;

import java.util.List;

import io.vigil.contracts.scoring.v1.Decision;

/**
 * What the coverage rule found for one payment.
 *
 * @param missingShare    share (0..1) of the judged features that were missing or defaulted
 * @param maxMissingShare the cohort's allowed share
 * @param missing         the judged features that were missing or defaulted, by name
 * @param decision        the insufficient-data rule's decision, or null when the model may decide
 */
public record CoverageVerdict(double missingShare, double maxMissingShare, List<String> missing, Decision decision) {

    /** Whether the insufficient-data rule decides instead of the model. */
    public boolean insufficient() {
        return decision != null;
    }
}
