package io.vigil.scoring.model;

import java.util.List;

/**
 * Which models score live traffic: the champion, an optional challenger taking {@code challengerShare} of accounts,
 * and shadows that are scored and logged but never decide. Swapped as a whole (one atomic reference), so a call sees
 * either the old line-up or the new one, never a mix.
 */
public record ModelLineup(ScoringModel champion, ScoringModel challenger, double challengerShare,
        List<ScoringModel> shadows) {

    public ModelLineup {
        if (champion == null) {
            throw new IllegalArgumentException("a line-up needs a champion");
        }
        if (!(challengerShare >= 0.0 && challengerShare <= 1.0)) {
            throw new IllegalArgumentException("challenger share must be within 0..1, got " + challengerShare);
        }
        shadows = List.copyOf(shadows);
        if (challenger == null) {
            challengerShare = 0.0;
        }
    }

    /** True when the version plays any role in this line-up. */
    public boolean holds(String version) {
        if (champion.version().equals(version) || challenger != null && challenger.version().equals(version)) {
            return true;
        }
        for (ScoringModel s : shadows) {
            if (s.version().equals(version)) {
                return true;
            }
        }
        return false;
    }

    public static ModelLineup championOnly(ScoringModel champion) {
        return new ModelLineup(champion, null, 0.0, List.of());
    }
}
