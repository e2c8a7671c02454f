package io.vigil.guardrail.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.evaluation.GuardrailMetric;

class CohortAndMetricCountingTest {

    @Test
    void aCohortMatchesOnlyDecisionsWithEveryTerm() {
        CohortExpression caYoung = CohortExpression.parse(" age=18-24 &country=CA ");
        assertEquals("country=CA & age=18-24", caYoung.toString());
        assertTrue(caYoung.matches(decision(Decision.DECISION_APPROVE, false, "CA", "18-24")));
        assertFalse(caYoung.matches(decision(Decision.DECISION_APPROVE, false, "CA", "25-34")));
        assertFalse(caYoung.matches(decision(Decision.DECISION_APPROVE, false, "US", "18-24")));
        assertTrue(CohortExpression.parse("").matches(decision(Decision.DECISION_APPROVE, false, "US", "18-24")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "countri=CA|unknown cohort attribute 'countri'; known: age, billing_country, bin, bin_country, channel, "
            + "country, device, ip_country, login_method, mcc, merchant, merchant_category, region",
        "country|cohort term 'country' is not attribute=value",
        "country=|cohort term 'country=' is not attribute=value",
        "country=CA & country=US|cohort attribute 'country' is named twice",
        "country=CA=US|cohort term 'country=CA=US' is not attribute=value",
    })
    void aCohortThatCannotBeReadIsRefusedNamingTheTerm(String expression, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> CohortExpression.parse(expression)).getMessage());
    }

    @Test
    void eachMetricCountsItsOwnExposureAndEvents() {
        DecisionProjection approved = decision(Decision.DECISION_APPROVE, false, "CA", "18-24");
        DecisionProjection steppedUp = decision(Decision.DECISION_STEP_UP, true, "CA", "18-24");
        assertTrue(MetricCounting.exposed(GuardrailMetric.CONVERSION, steppedUp));
        assertTrue(MetricCounting.eventAtDecision(GuardrailMetric.APPROVAL_RATE, approved));
        assertFalse(MetricCounting.eventAtDecision(GuardrailMetric.APPROVAL_RATE, steppedUp));
        assertTrue(MetricCounting.eventAtDecision(GuardrailMetric.FALLBACK_RATE, steppedUp));
        // Step-up pass rate: only stepped-up decisions are exposed, and only a pass counts.
        assertFalse(MetricCounting.exposed(GuardrailMetric.STEP_UP_PASS_RATE, approved));
        assertTrue(MetricCounting.eventAtOutcome(GuardrailMetric.STEP_UP_PASS_RATE, steppedUp,
                OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED_VALUE));
        assertFalse(MetricCounting.eventAtOutcome(GuardrailMetric.STEP_UP_PASS_RATE, approved,
                OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED_VALUE));
        // Incorrect approvals: fraud that followed an approval, by chargeback or by the card holder's report.
        assertTrue(MetricCounting.eventAtOutcome(GuardrailMetric.INCORRECT_APPROVAL_RATE, approved,
                OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED_VALUE));
        assertFalse(MetricCounting.eventAtOutcome(GuardrailMetric.CHARGEBACK_RATE, approved,
                OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED_VALUE));
        assertFalse(MetricCounting.eventAtOutcome(GuardrailMetric.INCORRECT_APPROVAL_RATE, steppedUp,
                OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD_VALUE));
        assertTrue(MetricCounting.eventAtOutcome(GuardrailMetric.CONVERSION, steppedUp,
                OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED_VALUE));
    }

    @Test
    void aFallbackOnTheChallengersTrafficCountsForTheChallenger() {
        WatchedRollout w = WatchedRollout.of(GuardrailTopologyTest.seedOneWatch("fallbacks"));
        DecisionProjection.Builder fallback = decision(Decision.DECISION_APPROVE, true, "CA", "18-24").toBuilder()
                .setPaymentTimeMillis(GuardrailTopologyTest.T0.toEpochMilli()).setArm(0).setModelVersion("");
        assertEquals(1, w.armOf(fallback.setRoutedArm(2).setRoutedModelVersion("challenger-v2").build()));
        assertEquals(-1, w.armOf(fallback.setRoutedArm(1).setRoutedModelVersion("champion-v1").build()));
        // Another challenger's traffic is not this rollout's; an event from before routed_arm existed is nobody's.
        assertEquals(0, w.armOf(fallback.setRoutedArm(2).setRoutedModelVersion("challenger-v3").build()));
        assertEquals(0, w.armOf(fallback.setRoutedArm(0).setRoutedModelVersion("").build()));
        // A model decision without routed_arm (older scoring-service) still counts by its deciding arm.
        assertEquals(1, w.armOf(fallback.setArm(2).setModelVersion("challenger-v2").build()));
    }

    static DecisionProjection decision(Decision decision, boolean fallback, String country, String age) {
        DecisionProjection.Builder p = DecisionProjection.newBuilder().setDecisionId("d").setDecision(
                decision.getNumber()).setFallback(fallback)
                .addAllAttributes(Collections.nCopies(DecisionAttribute.values().length, ""));
        p.setAttributes(DecisionAttribute.COUNTRY.ordinal(), country);
        p.setAttributes(DecisionAttribute.AGE_BAND.ordinal(), age);
        return p.build();
    }
}
