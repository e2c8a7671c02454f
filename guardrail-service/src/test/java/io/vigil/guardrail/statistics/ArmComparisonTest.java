package io.vigil.guardrail.statistics;

import static io.vigil.guardrail.statistics.ArmComparison.Direction.HIGHER_IS_WORSE;
import static io.vigil.guardrail.statistics.ArmComparison.Direction.LOWER_IS_WORSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmComparisonTest {

    @ParameterizedTest(name = "{0}: T=[{1},{2}] C=[{3},{4}] margin {5} -> harm [{7},{8}] {6}")
    @CsvSource({
        // Incorrect approvals up 1.1 pp, tolerated 0.5 pp: harm [0.009, 0.013] is beyond the margin.
        "HIGHER_IS_WORSE, 0.030, 0.032, 0.019, 0.021, 0.005, HARMFUL, 0.009, 0.013",
        // Same rates on both arms, tight: harm [-0.002, 0.002] is within 0.005.
        "HIGHER_IS_WORSE, 0.019, 0.021, 0.019, 0.021, 0.005, NON_INFERIOR, -0.002, 0.002",
        // Conversion down 1.4 pp (seed 001): control [0.695, 0.705], treatment [0.681, 0.691]: harm [0.004, 0.024].
        "LOWER_IS_WORSE, 0.681, 0.691, 0.695, 0.705, 0.003, HARMFUL, 0.004, 0.024",
        "LOWER_IS_WORSE, 0.681, 0.691, 0.695, 0.705, 0.010, INCONCLUSIVE, 0.004, 0.024",
        // Margin 0 rolls back on any harm shown.
        "HIGHER_IS_WORSE, 0.0201, 0.0210, 0.0190, 0.0200, 0.0, HARMFUL, 0.0001, 0.002",
    })
    void judgesTheHarmIntervalAgainstTheMargin(ArmComparison.Direction direction, double tLo, double tHi, double cLo,
            double cHi, double margin, ArmComparison.Judgement expected, double harmLo, double harmHi) {
        ArmComparison.Result r = ArmComparison.judge(new Interval(tLo, tHi), new Interval(cLo, cHi), direction, margin);
        assertEquals(expected, r.judgement());
        assertEquals(harmLo, r.harm().lower(), 1e-12);
        assertEquals(harmHi, r.harm().upper(), 1e-12);
    }

    @Test
    void anArmWithNoTrafficIsNeverJudged() {
        // A cohort that got no traffic on the challenger: its interval is everything, so the verdict is inconclusive,
        // never a pass and never a rollback.
        Interval nothingSeen = BernoulliConfidenceSequence.uniform().interval(0, 0, 0.025);
        Interval control = BernoulliConfidenceSequence.uniform().interval(200, 10_000, 0.025);
        assertEquals(ArmComparison.Judgement.INCONCLUSIVE,
                ArmComparison.judge(nothingSeen, control, HIGHER_IS_WORSE, 0.005).judgement());
        assertThrows(IllegalArgumentException.class,
                () -> ArmComparison.judge(control, control, HIGHER_IS_WORSE, -0.1));
    }

    @Test
    void oneBudgetKeepsTheFamilyWiseFalseRollbackRateUnderAlpha() {
        // A/A: eight guardrails on the same traffic (rates from 1% to 70%), two arms 50/50, 400 rollouts of 4,000
        // decisions per arm, every guardrail checked every 100 decisions with margin 0 (the most trigger-happy
        // setting). A rollout falsely rolls back if ANY guardrail says HARMFUL at ANY look; that must happen in at
        // most alpha of the rollouts.
        double alpha = 0.05;
        double[] rates = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7};
        ErrorBudget budget = new ErrorBudget(alpha, rates.length);
        BernoulliConfidenceSequence cs = BernoulliConfidenceSequence.uniform();
        SplittableRandom rnd = new SplittableRandom(2026);
        int runs = 400;
        int falseRollbacks = 0;
        for (int run = 0; run < runs; run++) {
            long[][] successes = new long[rates.length][2];
            boolean rolledBack = false;
            for (int n = 1; n <= 4_000 && !rolledBack; n++) {
                for (int g = 0; g < rates.length; g++) {
                    for (int arm = 0; arm < 2; arm++) {
                        if (rnd.nextDouble() < rates[g]) {
                            successes[g][arm]++;
                        }
                    }
                }
                if (n % 100 != 0) {
                    continue;
                }
                for (int g = 0; g < rates.length && !rolledBack; g++) {
                    Interval t = cs.interval(successes[g][0], n, budget.perArmSequence());
                    Interval c = cs.interval(successes[g][1], n, budget.perArmSequence());
                    rolledBack = ArmComparison.judge(t, c, HIGHER_IS_WORSE, 0).judgement()
                            == ArmComparison.Judgement.HARMFUL;
                }
            }
            falseRollbacks += rolledBack ? 1 : 0;
        }
        assertTrue(falseRollbacks <= alpha * runs, falseRollbacks + " false rollbacks in " + runs);
    }

    @Test
    void aOnePointFourPointConversionDropIsCaught() {
        // Seed 001: conversion 70.0% on control, 68.6% on the challenger, margin 0.5 pp, one of 8 guardrails at
        // alpha 0.05. Every one of 40 simulated rollouts must be judged HARMFUL, and none on the way may call the
        // challenger NON_INFERIOR. The decisions needed per arm are printed: they size the ramp's minimum exposure.
        ErrorBudget budget = new ErrorBudget(0.05, 8);
        BernoulliConfidenceSequence cs = BernoulliConfidenceSequence.centredOn(0.7, 100);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] needed = new int[40];
        for (int run = 0; run < needed.length; run++) {
            long ct = 0;
            long cc = 0;
            for (int n = 1; n <= 1_000_000; n++) {
                ct += rnd.nextDouble() < 0.686 ? 1 : 0;
                cc += rnd.nextDouble() < 0.700 ? 1 : 0;
                if (n % 1_000 != 0) {
                    continue;
                }
                ArmComparison.Judgement j = ArmComparison.judge(cs.interval(ct, n, budget.perArmSequence()),
                        cs.interval(cc, n, budget.perArmSequence()), LOWER_IS_WORSE, 0.005).judgement();
                assertTrue(j != ArmComparison.Judgement.NON_INFERIOR, "a harmful challenger passed at n=" + n);
                if (j == ArmComparison.Judgement.HARMFUL) {
                    needed[run] = n;
                    break;
                }
            }
            assertTrue(needed[run] > 0, "run " + run + " never caught");
        }
        java.util.Arrays.sort(needed);
        System.out.printf("seed 001 conversion drop caught after %d (median) / %d (max) decisions per arm%n",
                needed[needed.length / 2], needed[needed.length - 1]);
    }
}
