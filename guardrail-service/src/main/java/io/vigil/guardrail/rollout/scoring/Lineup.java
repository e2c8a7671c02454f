package io.vigil.guardrail.rollout.scoring;

import java.util.List;
import java.util.Objects;

/**
 * What scoring-service serves (its {@code GET /lineup}): champion, challenger and its share, shadows, the active
 * policy, and the revision that names this exact line-up (for compare-and-set). A rollout stores the one it found
 * and restores exactly that.
 */
public record Lineup(String championModelVersion, String challengerModelVersion, double challengerShare,
        List<String> shadowModelVersions, String policyVersion, String revision) {

    public Lineup {
        shadowModelVersions = shadowModelVersions == null ? List.of() : List.copyOf(shadowModelVersions);
    }

    /** The same serving line-up (the revision aside). */
    public boolean sameAs(Lineup other) {
        return other != null && Objects.equals(championModelVersion, other.championModelVersion)
                && Objects.equals(challengerModelVersion, other.challengerModelVersion)
                && challengerShare == other.challengerShare
                && shadowModelVersions.equals(other.shadowModelVersions)
                && Objects.equals(policyVersion, other.policyVersion);
    }

    public io.vigil.contracts.events.v1.Lineup proto() {
        return io.vigil.contracts.events.v1.Lineup.newBuilder()
                .setChampionModelVersion(Objects.toString(championModelVersion, ""))
                .setChallengerModelVersion(Objects.toString(challengerModelVersion, ""))
                .setChallengerShare(challengerShare)
                // The event has room for one shadow; the rollout never changes shadows, so naming them joined is enough.
                .setShadowModelVersion(String.join(",", shadowModelVersions))
                .setPolicyVersion(Objects.toString(policyVersion, ""))
                .build();
    }
}
