package io.vigil.scoring.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model line-up as the registry records it (versions and roles, no model bytes), and the one place its invariants
 * are enforced: exactly one champion, at most one challenger with a share in 0..1, at most {@code maxShadows} shadows,
 * and all of them together within a memory bound. {@link #activate} returns the line-up after a change or refuses it
 * with a {@link ModelRegistrationException} (409) naming the conflict; the registry applies the result in one
 * transaction.
 */
public record LineupPlan(String champion, String challenger, double challengerShare, List<String> shadows) {

    /** Limits a line-up must stay within. {@code bytesOf} estimates a version's memory when loaded. */
    public record Limits(int maxShadows, long maxLoadedBytes) {
    }

    public LineupPlan {
        shadows = List.copyOf(shadows);
        if (challenger == null) {
            challengerShare = 0.0;
        }
    }

    /** Every version with a role in live traffic, champion first. */
    public List<String> live() {
        List<String> out = new ArrayList<>();
        if (champion != null) {
            out.add(champion);
        }
        if (challenger != null) {
            out.add(challenger);
        }
        out.addAll(shadows);
        return out;
    }

    /** The role a version has in this line-up. */
    public ModelRegistry.Role roleOf(String version) {
        if (version.equals(champion)) {
            return ModelRegistry.Role.CHAMPION;
        }
        if (version.equals(challenger)) {
            return ModelRegistry.Role.CHALLENGER;
        }
        return shadows.contains(version) ? ModelRegistry.Role.SHADOW : ModelRegistry.Role.REGISTERED;
    }

    /**
     * The line-up after giving {@code version} the {@code role}; a champion or challenger displaced by it is retired.
     *
     * @param bytesOf estimated memory of each version once loaded (every version of the result must be in it)
     * @throws ModelRegistrationException (conflict) when the change would break an invariant, naming it
     */
    public LineupPlan activate(String version, ModelRegistry.Role role, double share, Limits limits,
            Map<String, Long> bytesOf) {
        Objects.requireNonNull(version, "version");
        if (role == null || role == ModelRegistry.Role.REGISTERED) {
            throw new ModelRegistrationException("role", "role: must be CHAMPION, CHALLENGER, SHADOW or RETIRED", false);
        }
        if (role == ModelRegistry.Role.CHALLENGER && !(share >= 0.0 && share <= 1.0)) {
            throw new ModelRegistrationException("share", "share: a challenger's share must be within 0..1", false);
        }
        if (version.equals(champion) && role != ModelRegistry.Role.CHAMPION) {
            throw new ModelRegistrationException("role", "role: activating " + version + " as " + role
                    + " would leave no champion; make another version champion first", true);
        }
        String nextChampion = champion;
        String nextChallenger = version.equals(challenger) ? null : challenger;
        double nextShare = challengerShare;
        List<String> nextShadows = new ArrayList<>(shadows);
        nextShadows.remove(version);
        switch (role) {
            case CHAMPION -> nextChampion = version;
            case CHALLENGER -> {
                nextChallenger = version;
                nextShare = share;
            }
            case SHADOW -> nextShadows.add(version);
            default -> {
                // RETIRED: out of every role, done above.
            }
        }
        LineupPlan next = new LineupPlan(nextChampion, nextChallenger, nextShare, nextShadows);
        if (next.champion == null) {
            throw new ModelRegistrationException("role", "role: the registry has no champion; make a version "
                    + "CHAMPION first", true);
        }
        if (next.shadows.size() > limits.maxShadows() && next.shadows.size() > shadows.size()) {
            throw new ModelRegistrationException("role", "role: activating " + version + " as SHADOW would make "
                    + next.shadows.size() + " shadows, over the limit of " + limits.maxShadows()
                    + " (scoring.models.max-shadows); retire one first", true);
        }
        long bytes = next.loadedBytes(bytesOf);
        if (bytes > limits.maxLoadedBytes() && bytes > loadedBytes(bytesOf)) {
            throw new ModelRegistrationException("role", "role: activating " + version + " as " + role
                    + " would hold about " + mib(bytes) + " MiB of models in memory, over the limit of "
                    + mib(limits.maxLoadedBytes()) + " MiB (scoring.models.max-loaded-bytes); retire one first", true);
        }
        return next;
    }

    /** Estimated memory of the live versions; versions missing from {@code bytesOf} count as nothing. */
    public long loadedBytes(Map<String, Long> bytesOf) {
        long sum = 0;
        for (String v : live()) {
            sum += bytesOf.getOrDefault(v, 0L);
        }
        return sum;
    }

    /** Status of every version this plan or {@code before} mentions, as the registry should record it. */
    public Map<String, ModelRegistry.Role> changesFrom(LineupPlan before) {
        Map<String, ModelRegistry.Role> out = new LinkedHashMap<>();
        for (String v : before.live()) {
            if (roleOf(v) == ModelRegistry.Role.REGISTERED) {
                out.put(v, ModelRegistry.Role.RETIRED);
            }
        }
        for (String v : live()) {
            if (before.roleOf(v) != roleOf(v) || v.equals(challenger) && before.challengerShare != challengerShare) {
                out.put(v, roleOf(v));
            }
        }
        return out;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
