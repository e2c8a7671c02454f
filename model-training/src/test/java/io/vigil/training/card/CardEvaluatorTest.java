package io.vigil.training.card;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CardEvaluatorTest {

    @Test
    void shouldTabulateATwoThresholdPolicy() {
        double[] s = {0.01, 0.06, 0.2, 0.4, 0.6, 0.9};
        boolean[] y = {false, false, true, false, true, true};
        ModelCard.PolicyOutcome p = CardEvaluator.policy(s, y, 0.05, 0.5);
        // Acted on: 0.06 (genuine), 0.2, 0.4 (genuine), 0.6, 0.9 -> all 3 frauds, 2 of 3 genuine.
        assertEquals(1.0, p.tpr(), 1e-12);
        assertEquals(2.0 / 3, p.fpr(), 1e-12);
        assertEquals(3.0 / 6, p.stepUpRate(), 1e-12);
        assertEquals(2.0 / 6, p.declineRate(), 1e-12);
    }

    @Test
    void shouldRestrictToTheCohort() {
        double[] s = {0.1, 0.9, 0.3, 0.8};
        boolean[] y = {false, true, true, false};
        boolean[] in = {true, true, false, false};
        ModelCard.CohortThresholds c = CardEvaluator.cohort("two rows", s, y, in);
        assertEquals(2, c.rows());
        assertEquals(0.5, c.fraudRate(), 1e-12);
        assertEquals(1.0, c.auc(), 1e-12);
    }
}
