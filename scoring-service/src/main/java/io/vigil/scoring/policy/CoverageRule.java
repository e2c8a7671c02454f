package io.vigil.scoring.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.scoring.fallback.FallbackRule;
import io.vigil.scoring.features.FeatureVector;
import io.vigil.scoring.model.ScoringModel;

/**
 * The insufficient-data rule: a model asked about a payment whose features it depends on most are unknown answers
 * from its priors and from whatever little is left (channel, hour), and its reasons then name those leftovers, not the
 * real cause. So before the model's score decides, the cohort's coverage rule judges the input:
 *
 * <ol>
 *   <li>The judged features are the cohort's {@code features} by name, or else the deciding model's
 *       {@code keyFeatures} most depended-on features by its own total cover ({@link ScoringModel#keyFeatures()}).</li>
 *   <li>A judged feature is uncovered when it enters the model as missing: feature-service answered MISSING, STALE,
 *       DEFAULTED or VIOLATION for it (or for what it is derived from), or the request lacked it.</li>
 *   <li>When the uncovered share is above {@code maxMissingShare}, the decision is the rule's {@code decision}:
 *       STEP_UP (the default: a genuine customer passes 3-D Secure, a fraudster rarely does), APPROVE, or
 *       FALLBACK_RULE (the request-facts rule of {@link FallbackRule}). Never DECLINE, never REVIEW. The answer is
 *       flagged {@code fallback} with cause INSUFFICIENT_DATA.</li>
 * </ol>
 *
 * A cohort's absent coverage fields come from the policy's default cohort, then from {@code scoring.coverage.*}.
 * Immutable and thread-safe.
 */
public final class CoverageRule {

    private static final Map<String, PaymentFeature> BY_NAME = new HashMap<>();

    static {
        for (PaymentFeature f : PaymentFeature.values()) {
            BY_NAME.put(f.featureName(), f);
        }
    }

    private final Coverage serviceDefault;
    private final FallbackRule fallbackRule;

    /**
     * @param serviceDefault a complete coverage rule (every field but one of keyFeatures/features set)
     * @param fallbackRule   the request-facts rule, for decision FALLBACK_RULE
     */
    public CoverageRule(Coverage serviceDefault, FallbackRule fallbackRule) {
        ThresholdPolicy.checkCoverage("scoring.coverage", serviceDefault);
        if ((serviceDefault.keyFeatures() == null && serviceDefault.features() == null)
                || serviceDefault.maxMissingShare() == null || serviceDefault.decision() == null) {
            throw new IllegalArgumentException("scoring.coverage needs key-features, max-missing-share and decision");
        }
        this.serviceDefault = serviceDefault;
        this.fallbackRule = fallbackRule;
    }

    /** The contract feature of that wire name, or null. */
    static PaymentFeature feature(String name) {
        return name == null ? null : BY_NAME.get(name);
    }

    /** The rule in force for a cohort of a policy, every field resolved. */
    public Coverage resolve(ThresholdPolicy policy, CohortRule cohort) {
        Coverage own = cohort.coverage();
        Coverage policyDefault = policy.defaultRule().coverage();
        Coverage c = own == null ? policyDefault : own.orElse(policyDefault);
        return c == null ? serviceDefault : c.orElse(serviceDefault);
    }

    /** Judges one model input, in canonical order, for the cohort that applies and the model that would decide. */
    public CoverageVerdict judge(ThresholdPolicy policy, CohortRule cohort, ScoringModel model, FeatureVector v) {
        Coverage c = resolve(policy, cohort);
        float[] x = v.values();
        List<String> missing = null;
        int judged;
        if (c.features() != null) {
            judged = c.features().size();
            for (String name : c.features()) {
                if (Float.isNaN(x[BY_NAME.get(name).ordinal()])) {
                    missing = add(missing, name);
                }
            }
        } else {
            int[] key = model.keyFeatures();
            judged = Math.min(c.keyFeatures(), key.length);
            PaymentFeature[] all = PaymentFeature.values();
            for (int i = 0; i < judged; i++) {
                if (Float.isNaN(x[key[i]])) {
                    missing = add(missing, all[key[i]].featureName());
                }
            }
        }
        double share = judged == 0 || missing == null ? 0.0 : missing.size() / (double) judged;
        Decision decision = null;
        if (share > c.maxMissingShare()) {
            decision = switch (c.decision()) {
                case "APPROVE" -> Decision.DECISION_APPROVE;
                case "FALLBACK_RULE" -> fallbackRule.decide(v);
                default -> Decision.DECISION_STEP_UP;
            };
        }
        return new CoverageVerdict(share, c.maxMissingShare(), missing == null ? List.of() : missing, decision);
    }

    private static List<String> add(List<String> list, String name) {
        List<String> out = list == null ? new ArrayList<>(8) : list;
        out.add(name);
        return out;
    }
}
