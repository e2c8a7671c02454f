package io.vigil.scoring.policy;

import java.util.List;

/**
 * A cohort's coverage rule: which features the model must have, how many of them may be missing or defaulted, and
 * what decides when more are. Every field may be absent in a stored policy; absent fields come from the policy's
 * default cohort, then from the service configuration ({@code scoring.coverage.*}).
 *
 * @param keyFeatures     judge the deciding model's N most depended-on features (its total cover ranking); or
 * @param features        judge these features by name (checkout-features/v1), whatever the model
 * @param maxMissingShare largest share (0..1) of the judged features that may be missing or defaulted; 1 switches the
 *                        rule off for the cohort
 * @param decision        what the insufficient-data rule answers: {@code STEP_UP}, {@code APPROVE} or
 *                        {@code FALLBACK_RULE} (the request-facts rule of the fallback); never a decline or a review
 */
public record Coverage(Integer keyFeatures, List<String> features, Double maxMissingShare, String decision) {

    /** The insufficient-data decisions a policy may choose. */
    public static final List<String> DECISIONS = List.of("STEP_UP", "APPROVE", "FALLBACK_RULE");

    public Coverage {
        features = features == null ? null : List.copyOf(features);
    }

    /** This rule with each absent field taken from {@code fallback}. */
    public Coverage orElse(Coverage fallback) {
        boolean ownList = keyFeatures != null || features != null;
        if (fallback == null || (ownList && maxMissingShare != null && decision != null)) {
            return this; // complete already: no allocation on the scoring path
        }
        return new Coverage(ownList ? keyFeatures : fallback.keyFeatures(), ownList ? features : fallback.features(),
                maxMissingShare != null ? maxMissingShare : fallback.maxMissingShare(),
                decision != null ? decision : fallback.decision());
    }
}
