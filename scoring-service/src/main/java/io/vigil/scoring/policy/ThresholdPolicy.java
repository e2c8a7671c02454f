package io.vigil.scoring.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.riskmodel.catalog.FeatureCatalog;
import io.vigil.riskmodel.catalog.PaymentFeature;

/**
 * A version of the threshold policy: cohort rules, most specific first. Immutable; activation swaps the whole object.
 */
public final class ThresholdPolicy {

    private final String version;
    private final List<CohortRule> rules;
    private final CohortRule[] bySpecificity;

    private ThresholdPolicy(String version, List<CohortRule> rules) {
        this.version = version;
        this.rules = List.copyOf(rules);
        List<CohortRule> sorted = new ArrayList<>(rules);
        // Stable sort: among equally specific rules the one listed first wins.
        sorted.sort(Comparator.comparingInt(CohortRule::specificity).reversed());
        this.bySpecificity = sorted.toArray(CohortRule[]::new);
    }

    /**
     * Validates and builds a policy.
     *
     * @throws PolicyValidationException naming the offending field, e.g. {@code rules[2].review}
     */
    public static ThresholdPolicy of(String version, List<CohortRule> rules) {
        if (version == null || version.isBlank() || version.length() > 64) {
            throw new PolicyValidationException("version", "is required (1-64 characters)");
        }
        if (rules == null || rules.isEmpty()) {
            throw new PolicyValidationException("rules", "must contain at least the default cohort");
        }
        Set<String> names = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < rules.size(); i++) {
            CohortRule r = rules.get(i);
            String at = "rules[" + i + "]";
            if (r == null) {
                throw new PolicyValidationException(at, "is null");
            }
            if (r.name() == null || r.name().isBlank()) {
                throw new PolicyValidationException(at + ".name", "is required");
            }
            if (!names.add(r.name())) {
                throw new PolicyValidationException(at + ".name", "duplicates cohort '" + r.name() + "'");
            }
            // A value no payment can carry (e.g. "Canada" for CA) would make the cohort silently match nothing.
            knownLabel(at + ".country", r.country(), PaymentFeature.COUNTRY);
            knownLabel(at + ".region", r.region(), PaymentFeature.REGION);
            knownLabel(at + ".age_band", r.ageBand(), PaymentFeature.CUSTOMER_AGE_BAND);
            knownLabel(at + ".channel", r.channel(), PaymentFeature.CHANNEL);
            knownLabel(at + ".login_method", r.loginMethod(), PaymentFeature.LOGIN_METHOD);
            if (!(r.stepUp() >= 0.0 && r.stepUp() <= 1.0)) {
                throw new PolicyValidationException(at + ".step_up", "must be within 0..1");
            }
            if (!(r.review() >= r.stepUp() && r.review() <= 1.0)) {
                throw new PolicyValidationException(at + ".review", "must be within step_up..1");
            }
            if (!(r.decline() >= r.review() && r.decline() <= 1.0)) {
                throw new PolicyValidationException(at + ".decline", "must be within review..1");
            }
            checkCoverage(at + ".coverage", r.coverage());
            if (r.isDefault()) {
                defaults++;
            }
        }
        if (defaults != 1) {
            throw new PolicyValidationException("rules", defaults == 0
                    ? "needs a default cohort (a rule with no attributes)" : "has more than one default cohort");
        }
        return new ThresholdPolicy(version, rules);
    }

    /**
     * Validates a coverage rule (null: none of its own).
     *
     * @throws PolicyValidationException naming the offending field, e.g. {@code rules[0].coverage.max_missing_share}
     */
    public static void checkCoverage(String at, Coverage c) {
        if (c == null) {
            return;
        }
        if (c.keyFeatures() != null && c.features() != null) {
            throw new PolicyValidationException(at + ".features",
                    "give either key_features (the model's N most depended-on features) or features, not both");
        }
        if (c.keyFeatures() != null && (c.keyFeatures() < 1 || c.keyFeatures() > PaymentFeature.values().length)) {
            throw new PolicyValidationException(at + ".key_features",
                    "must be within 1.." + PaymentFeature.values().length);
        }
        if (c.features() != null) {
            if (c.features().isEmpty()) {
                throw new PolicyValidationException(at + ".features", "must name at least one feature");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < c.features().size(); i++) {
                String name = c.features().get(i);
                if (CoverageRule.feature(name) == null) {
                    throw new PolicyValidationException(at + ".features[" + i + "]", "'" + name
                            + "' is not a feature of " + FeatureCatalog.CONTRACT_VERSION + "; one of "
                            + PaymentFeature.names());
                }
                if (!seen.add(name)) {
                    throw new PolicyValidationException(at + ".features[" + i + "]", "'" + name + "' is listed twice");
                }
            }
        }
        if (c.maxMissingShare() != null && !(c.maxMissingShare() >= 0.0 && c.maxMissingShare() <= 1.0)) {
            throw new PolicyValidationException(at + ".max_missing_share", "must be within 0..1");
        }
        if (c.decision() != null && !Coverage.DECISIONS.contains(c.decision())) {
            throw new PolicyValidationException(at + ".decision", "'" + c.decision() + "' is not one of "
                    + Coverage.DECISIONS + " (no data is never a reason to decline, and everyday first-time "
                    + "customers would flood a review queue)");
        }
    }

    private static void knownLabel(String field, String value, PaymentFeature feature) {
        if (value != null && feature.definition().code(value) < 0) {
            throw new PolicyValidationException(field, "'" + value + "' is not a value payments carry; one of "
                    + feature.definition().levels());
        }
    }

    public String version() {
        return version;
    }

    public List<CohortRule> rules() {
        return rules;
    }

    /** The most specific rule matching the attributes (null attributes are unknown); the default cohort at worst. */
    public CohortRule cohortOf(String country, String region, String ageBand, String channel, String loginMethod) {
        for (CohortRule r : bySpecificity) {
            if (r.matches(country, region, ageBand, channel, loginMethod)) {
                return r;
            }
        }
        throw new IllegalStateException("policy " + version + " has no default cohort");
    }

    /** The default cohort (the rule with no attributes). */
    public CohortRule defaultRule() {
        return bySpecificity[bySpecificity.length - 1];
    }

    public static Decision decide(CohortRule rule, double score) {
        if (score >= rule.decline()) {
            return Decision.DECISION_DECLINE;
        }
        if (score >= rule.review()) {
            return Decision.DECISION_REVIEW;
        }
        if (score >= rule.stepUp()) {
            return Decision.DECISION_STEP_UP;
        }
        return Decision.DECISION_APPROVE;
    }
}
