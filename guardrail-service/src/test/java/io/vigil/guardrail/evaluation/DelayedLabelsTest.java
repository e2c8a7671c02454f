package io.vigil.guardrail.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vigil.guardrail.statistics.ArmComparison.Judgement;

/**
 * The label-delay distribution read from config, and an incorrect-approval guardrail judged on it, with figures worked
 * by hand.
 */
class DelayedLabelsTest {

    static final LabelMaturity LABELS = LabelMaturity.parse("PT10M=0.5, PT30M=0.9, PT1H=1", 0.9);

    @Test
    void theExpectedShareIsLinearBetweenThePointsAndFlatAfterTheLast() {
        assertEquals(0, LABELS.expectedShare(0));
        assertEquals(0.25, LABELS.expectedShare(Duration.ofMinutes(5).toMillis()), 1e-15);
        assertEquals(0.5, LABELS.expectedShare(Duration.ofMinutes(10).toMillis()));
        assertEquals(0.7, LABELS.expectedShare(Duration.ofMinutes(20).toMillis()), 1e-15);
        assertEquals(0.9, LABELS.expectedShare(Duration.ofMinutes(30).toMillis()));
        assertEquals(0.95, LABELS.expectedShare(Duration.ofMinutes(45).toMillis()), 1e-15);
        assertEquals(1, LABELS.expectedShare(Duration.ofDays(200).toMillis()));
        assertFalse(LABELS.mature(Duration.ofMinutes(29).toMillis()));
        assertTrue(LABELS.mature(Duration.ofMinutes(30).toMillis()));
        assertTrue(LabelMaturity.IMMEDIATE.mature(0));
        // The service's default: fraud reports within days, chargebacks up to 120 days; 90% after 53.1 days.
        LabelMaturity service = LabelMaturity.parse("P1D=0.2,P7D=0.5,P30D=0.8,P60D=0.93,P90D=0.98,P120D=1", 0.9);
        assertEquals(0.8 + 0.13 * 21 / 30, service.expectedShare(Duration.ofDays(51).toMillis()), 1e-12);
        assertFalse(service.mature(Duration.ofDays(53).toMillis()));
        assertTrue(service.mature(Duration.ofDays(54).toMillis()));
    }

    @Test
    void aDistributionThatCannotBeUsedIsRefusedNamingWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelMaturity.parse("P30D=0.8,P7D=0.9", 0.9))
                .getMessage().contains("ages must increase"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelMaturity.parse("P7D=0.9,P30D=0.8", 0.9))
                .getMessage().contains("shares must not fall"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelMaturity.parse("P7D=0.5,P30D=0.8", 0.9))
                .getMessage().contains("never reaches the mature share 0.9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelMaturity.parse("7 days=1", 0.9))
                .getMessage().contains("is not AGE=SHARE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelMaturity.parse("P7D=1.5", 0.9))
                .getMessage().contains("[0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelMaturity.parse("P7D=1", 0))
                .getMessage().contains("mature share"));
    }

    @Test
    void beforeAnyVintageIsMatureTheGuardrailIsInconclusiveWithACensoringAwareEstimate() {
        Guardrail g = new Guardrail("incorrect approvals", GuardrailMetric.INCORRECT_APPROVAL_RATE, "", 0.01,
                GuardrailAction.ROLLBACK, 1_000);
        // 1,000 approvals per arm, half their labels expected by now; 10 frauds seen on the treatment, 5 on control:
        // 10 / 500 - 5 / 500 = 1 pp more fraud per approval, though only 1.0% and 0.5% of approvals are fraud so far.
        GuardrailData.DelayedLabels d = new GuardrailData.DelayedLabels(new GuardrailData.ArmRates(0, 0, 0, 0), 0,
                new GuardrailData.ArmRates(1_000, 10, 1_000, 5), 500, 500, 0.9);
        GuardrailAssessment a = new GuardrailEvaluator(10_000, 0.05, 100).evaluate(g, d, 0.05);
        assertEquals(Judgement.INCONCLUSIVE, a.judgement());
        assertEquals(0.01, a.estimate(), 1e-15);
        assertEquals(0.5, a.labelMaturity());
        assertEquals(0, a.treatmentExposure());
        assertEquals("labels not mature: 50.0% of the fraud labels expected so far; approvals in vintages with at "
                + "least 90% of their labels in: exposure 0 (treatment) and 0 (control) of the 1000 per arm needed",
                a.missing());
    }

    @Test
    void matureVintagesAreJudgedOnTheRateTheirLabelsImply() {
        Guardrail g = new Guardrail("incorrect approvals", GuardrailMetric.INCORRECT_APPROVAL_RATE, "", 0.005,
                GuardrailAction.ROLLBACK, 1_000);
        // Mature vintages: 20,000 approvals per arm with 95% of their labels in; 380 frauds seen on the treatment
        // (2.0% of approvals once the missing 5% come), 95 on control (0.5%): 1.5 pp worse, beyond the 0.5 pp margin.
        GuardrailData.DelayedLabels d = new GuardrailData.DelayedLabels(
                new GuardrailData.ArmRates(20_000, 380, 20_000, 95), 0.95,
                new GuardrailData.ArmRates(20_000, 380, 20_000, 95), 19_000, 19_000, 0.9);
        GuardrailAssessment a = new GuardrailEvaluator(10_000, 0.05, 100).evaluate(g, d, 0.05);
        assertEquals(Judgement.HARMFUL, a.judgement());
        assertEquals(380.0 / 19_000 - 95.0 / 19_000, a.estimate(), 1e-15);
        assertEquals(0.95, a.labelMaturity(), 1e-15);
        assertTrue(a.harm().lower() > 0.005, a.harm().toString());
        // Unscaled, the same counts bound the seen rates: the harm interval is 1/0.95 times wider apart.
        GuardrailAssessment seen = new GuardrailEvaluator(10_000, 0.05, 100).evaluate(g,
                new GuardrailData.ArmRates(20_000, 380, 20_000, 95), 0.05);
        assertEquals(seen.harm().upper() / 0.95, a.harm().upper(), 1e-12);
    }
}
