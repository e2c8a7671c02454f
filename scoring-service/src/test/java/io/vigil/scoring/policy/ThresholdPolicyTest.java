package io.vigil.scoring.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vigil.contracts.scoring.v1.Decision;

class ThresholdPolicyTest {

    static final CohortRule DEFAULT = new CohortRule("default", null, null, null, null, null, 0.1, 0.3, 0.6);
    static final CohortRule CA = new CohortRule("CA", "CA", null, null, null, null, 0.2, 0.4, 0.7);
    static final CohortRule CA_YOUNG = new CohortRule("CA-18-24", "CA", null, "18-24", null, null, 0.05, 0.2, 0.5);
    static final CohortRule APP_SOCIAL = new CohortRule("app-social", null, null, null, "app", "social", 0.15, 0.35, 0.65);

    final ThresholdPolicy policy = ThresholdPolicy.of("v1", List.of(DEFAULT, CA, CA_YOUNG, APP_SOCIAL));

    @Test
    void shouldPickTheMostSpecificMatchingCohort() {
        assertEquals("CA-18-24", policy.cohortOf("CA", "NA", "18-24", "web", "password").name());
        assertEquals("CA", policy.cohortOf("CA", "NA", "25-34", "web", "password").name());
        assertEquals("app-social", policy.cohortOf("US", "NA", "18-24", "app", "social").name());
        assertEquals("default", policy.cohortOf("US", "NA", "18-24", "web", "social").name());
        assertEquals("default", policy.cohortOf(null, null, null, null, null).name(), "nothing known: the default");
    }

    @Test
    void shouldLetTheFirstListedRuleWinATieInSpecificity() {
        // CA + app + social: CA-18-24 does not match (age unknown); "CA" (1 attribute) loses to app-social (2).
        assertEquals("app-social", policy.cohortOf("CA", null, null, "app", "social").name());
        CohortRule gb = new CohortRule("GB", "GB", null, null, null, null, 0.1, 0.2, 0.3);
        CohortRule app = new CohortRule("app", null, null, null, "app", null, 0.1, 0.2, 0.3);
        ThresholdPolicy p = ThresholdPolicy.of("v2", List.of(DEFAULT, gb, app));
        assertEquals("GB", p.cohortOf("GB", null, null, "app", null).name());
    }

    @Test
    void shouldTurnScoresIntoDecisionsAtTheCutOffs() {
        assertEquals(Decision.DECISION_APPROVE, ThresholdPolicy.decide(DEFAULT, 0.0999));
        assertEquals(Decision.DECISION_STEP_UP, ThresholdPolicy.decide(DEFAULT, 0.1));
        assertEquals(Decision.DECISION_STEP_UP, ThresholdPolicy.decide(DEFAULT, 0.2999));
        assertEquals(Decision.DECISION_REVIEW, ThresholdPolicy.decide(DEFAULT, 0.3));
        assertEquals(Decision.DECISION_DECLINE, ThresholdPolicy.decide(DEFAULT, 0.6));
        assertEquals(Decision.DECISION_DECLINE, ThresholdPolicy.decide(DEFAULT, 1.0));
        CohortRule noReview = new CohortRule("x", null, null, null, null, null, 0.2, 0.5, 0.5);
        assertEquals(Decision.DECISION_DECLINE, ThresholdPolicy.decide(noReview, 0.5), "review == decline: decline wins");
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                Arguments.of("version", "", List.of(DEFAULT)),
                Arguments.of("rules", "v", List.of()),
                Arguments.of("rules", "v", List.of(CA)),
                Arguments.of("rules", "v", List.of(DEFAULT, new CohortRule("d2", null, null, null, null, null, 0, 0, 0))),
                Arguments.of("rules[1].name", "v", List.of(DEFAULT, new CohortRule("default", "US", null, null, null, null, 0, 0, 0))),
                Arguments.of("rules[0].name", "v", List.of(new CohortRule(" ", null, null, null, null, null, 0, 0, 0))),
                Arguments.of("rules[0].step_up", "v", List.of(new CohortRule("d", null, null, null, null, null, -0.1, 0.2, 0.3))),
                Arguments.of("rules[0].review", "v", List.of(new CohortRule("d", null, null, null, null, null, 0.3, 0.2, 0.4))),
                Arguments.of("rules[0].decline", "v", List.of(new CohortRule("d", null, null, null, null, null, 0.1, 0.2, 0.1))),
                Arguments.of("rules[0].decline", "v", List.of(new CohortRule("d", null, null, null, null, null, 0.1, 0.2, 1.1))),
                Arguments.of("rules[0].step_up", "v", List.of(new CohortRule("d", null, null, null, null, null, Double.NaN, 0.2, 0.3))),
                Arguments.of("rules[1].country", "v", List.of(DEFAULT, new CohortRule("ca", "Canada", null, null, null, null, 0.1, 0.2, 0.3))),
                Arguments.of("rules[1].region", "v", List.of(DEFAULT, new CohortRule("r", null, "north", null, null, null, 0.1, 0.2, 0.3))),
                Arguments.of("rules[1].age_band", "v", List.of(DEFAULT, new CohortRule("a", null, null, "18-25", null, null, 0.1, 0.2, 0.3))),
                Arguments.of("rules[1].channel", "v", List.of(DEFAULT, new CohortRule("c", null, null, null, "WEB", null, 0.1, 0.2, 0.3))),
                Arguments.of("rules[1].login_method", "v", List.of(DEFAULT, new CohortRule("l", null, null, null, null, "sso", 0.1, 0.2, 0.3))),
                Arguments.of("rules[0].coverage.max_missing_share", "v", List.of(covered(new Coverage(8, null, 1.01, null)))),
                Arguments.of("rules[0].coverage.max_missing_share", "v", List.of(covered(new Coverage(8, null, -0.1, null)))),
                Arguments.of("rules[0].coverage.max_missing_share", "v", List.of(covered(new Coverage(8, null, Double.NaN, null)))),
                Arguments.of("rules[0].coverage.features[1]", "v",
                        List.of(covered(new Coverage(null, List.of("account_age_days", "acount_age"), 0.5, null)))),
                Arguments.of("rules[0].coverage.features[1]", "v",
                        List.of(covered(new Coverage(null, List.of("prior_orders", "prior_orders"), 0.5, null)))),
                Arguments.of("rules[0].coverage.features", "v", List.of(covered(new Coverage(null, List.of(), 0.5, null)))),
                Arguments.of("rules[0].coverage.features", "v",
                        List.of(covered(new Coverage(4, List.of("prior_orders"), 0.5, null)))),
                Arguments.of("rules[0].coverage.key_features", "v", List.of(covered(new Coverage(0, null, 0.5, null)))),
                Arguments.of("rules[0].coverage.key_features", "v", List.of(covered(new Coverage(31, null, 0.5, null)))),
                Arguments.of("rules[0].coverage.decision", "v", List.of(covered(new Coverage(8, null, 0.5, "DECLINE")))),
                Arguments.of("rules[0].coverage.decision", "v", List.of(covered(new Coverage(8, null, 0.5, "REVIEW")))));
    }

    static CohortRule covered(Coverage coverage) {
        return new CohortRule("d", null, null, null, null, null, 0.1, 0.2, 0.3, coverage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void shouldRejectInvalidPoliciesNamingTheField(String field, String version, List<CohortRule> rules) {
        PolicyValidationException e = assertThrows(PolicyValidationException.class, () -> ThresholdPolicy.of(version, rules));
        assertEquals(field, e.field());
    }

    @Test
    void shouldDiffCohortByCohort() {
        CohortRule caStricter = new CohortRule("CA", "CA", null, null, null, null, 0.2, 0.4, 0.65);
        ThresholdPolicy next = ThresholdPolicy.of("v2", List.of(DEFAULT, caStricter, APP_SOCIAL));
        PolicyDiff diff = PolicyDiff.between(policy, next);
        assertEquals("v1", diff.from());
        assertEquals("v2", diff.to());
        assertEquals(List.of(), diff.added());
        assertEquals(List.of("CA-18-24"), diff.removed());
        assertEquals(List.of(new PolicyDiff.Change("CA", "decline", 0.7, 0.65)), diff.changed());
    }
}
