package io.vigil.guardrail.rollout.scoring;

import java.util.List;

/**
 * The body of scoring-service's {@code PUT /lineup}: the whole line-up to serve (models and policy together, applied
 * atomically), why, and optionally the revision it must replace. Shadows null: keep them as they are.
 */
public record LineupChange(String championModelVersion, String challengerModelVersion, double challengerShare,
        List<String> shadowModelVersions, String policyVersion, String reason, String expectedRevision) {

    /** Restores {@code lineup} exactly, whatever is served now. */
    public static LineupChange restore(Lineup lineup, String reason) {
        return new LineupChange(lineup.championModelVersion(), lineup.challengerModelVersion(),
                lineup.challengerShare(), lineup.shadowModelVersions(), lineup.policyVersion(), reason, null);
    }
}
