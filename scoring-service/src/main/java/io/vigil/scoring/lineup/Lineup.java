package io.vigil.scoring.lineup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import io.vigil.scoring.model.LineupPlan;

/**
 * Everything that decides which model and thresholds a payment gets: the model line-up and the active policy, with
 * the revision that names exactly this content (a hash, so any replica computes the same one from the database and a
 * caller can compare-and-set on it).
 */
public record Lineup(String championModelVersion, String challengerModelVersion, double challengerShare,
        List<String> shadowModelVersions, String policyVersion, String revision) {

    public static Lineup of(LineupPlan plan, String policyVersion) {
        return new Lineup(plan.champion(), plan.challenger(), plan.challenger() == null ? 0.0 : plan.challengerShare(),
                plan.shadows(), policyVersion, revisionOf(plan, policyVersion));
    }

    /** Same models in the same roles (shadows as a set), same share, same policy. */
    public boolean sameAs(LineupPlan plan, String policy) {
        return Objects.equals(championModelVersion, plan.champion())
                && Objects.equals(challengerModelVersion, plan.challenger())
                && challengerShare == (plan.challenger() == null ? 0.0 : plan.challengerShare())
                && new java.util.HashSet<>(shadowModelVersions).equals(new java.util.HashSet<>(plan.shadows()))
                && Objects.equals(policyVersion, policy);
    }

    static String revisionOf(LineupPlan plan, String policy) {
        List<String> shadows = new ArrayList<>(plan.shadows());
        shadows.sort(null);
        String text = plan.champion() + "|" + plan.challenger() + "|"
                + (plan.challenger() == null ? 0.0 : plan.challengerShare()) + "|" + String.join(",", shadows) + "|"
                + policy;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
