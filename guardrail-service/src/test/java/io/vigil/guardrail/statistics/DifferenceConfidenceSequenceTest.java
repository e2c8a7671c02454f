package io.vigil.guardrail.statistics;

import static io.vigil.guardrail.statistics.ArmComparison.Direction.LOWER_IS_WORSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.vigil.guardrail.statistics.DifferenceConfidenceSequence.Bucket;
import io.vigil.guardrail.statistics.DifferenceConfidenceSequence.State;
import org.junit.jupiter.api.Test;

class DifferenceConfidenceSequenceTest {

    @Test
    void bucketSumsEqualThePseudoOutcomesWorkedOneByOne() {
        // Bucket 1, share 0.5, nothing seen before: plug-ins 0, d = 0. Treatment outcomes {1, 0} give psi = Y / 0.5 =
        // {2, 0}; control {1, 1} give psi = -Y / 0.5 = {-2, -2}. Sum -2, sum of squares 12.
        State s = DifferenceConfidenceSequence.add(State.EMPTY, Bucket.ofRates(0.5, 2, 1, 2, 2));
        assertEquals(4, s.units());
        assertEquals(-2, s.psiSum(), 1e-12);
        assertEquals(12, s.psiSumOfSquares(), 1e-12);
        // Bucket 2, share 0.25, plug-ins m_T = 0.5, m_C = 1, d = -0.5. Treatment {1}: (1 - 0.5) / 0.25 - 0.5 = 1.5.
        // Control {0, 1, 0}: -(0 - 1) / 0.75 - 0.5 = 5/6 twice, -(1 - 1) / 0.75 - 0.5 = -0.5 once.
        s = DifferenceConfidenceSequence.add(s, Bucket.ofRates(0.25, 1, 1, 3, 1));
        double[] psi = {1.5, 5.0 / 6, 5.0 / 6, -0.5};
        assertEquals(8, s.units());
        assertEquals(-2 + Arrays.stream(psi).sum(), s.psiSum(), 1e-12);
        assertEquals(12 + Arrays.stream(psi).map(x -> x * x).sum(), s.psiSumOfSquares(), 1e-12);
        assertEquals(3, s.treatment().count());
        assertEquals(3, s.control().sum(), 1e-12);
    }

    @Test
    void coversAZeroDifferenceAcrossARampInAtLeastOneMinusAlphaOfRuns() {
        // A/A through a ramp 1% -> 10% -> 50% (20,000, 20,000 and 40,000 decisions, buckets of 500), conversion 70% on
        // both arms, checked after every bucket. The sequence may exclude 0 in at most alpha of the runs.
        double alpha = 0.05;
        DifferenceConfidenceSequence cs = new DifferenceConfidenceSequence(
                MeanConfidenceSequence.tunedFor(50_000, alpha, 2), 100);
        SplittableRandom rnd = new SplittableRandom(11);
        int runs = 300;
        int misses = 0;
        for (int run = 0; run < runs; run++) {
            State s = State.EMPTY;
            boolean missed = false;
            for (double[] step : new double[][] {{0.01, 20_000}, {0.10, 20_000}, {0.50, 40_000}}) {
                for (int b = 0; b < step[1] / 500; b++) {
                    s = DifferenceConfidenceSequence.add(s, bucket(rnd, step[0], 500, 0.70, 0.70));
                    missed |= !cs.interval(s, alpha).contains(0);
                }
            }
            misses += missed ? 1 : 0;
        }
        assertTrue(misses <= alpha * runs, "excluded the true difference in " + misses + " of " + runs);
    }

    @Test
    void catchesSeedOnesConversionDropWithFewerDecisionsThanTwoSeparateSequences() {
        // Seed 001 at a 50% step: conversion 70.0% -> 68.6%, margin 0.5 pp, one of 8 guardrails at alpha 0.05. The
        // per-arm union (ArmComparisonTest) needs a median of 228,000 decisions per arm on the same data; this one
        // needed 64,500 (seed 1).
        ErrorBudget budget = new ErrorBudget(0.05, 8);
        DifferenceConfidenceSequence cs = new DifferenceConfidenceSequence(
                MeanConfidenceSequence.tunedFor(200_000, budget.perGuardrail(), 2), 100);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] perArm = new int[40];
        for (int run = 0; run < perArm.length; run++) {
            State s = State.EMPTY;
            for (int n = 1_000; n <= 1_000_000 && perArm[run] == 0; n += 1_000) {
                s = DifferenceConfidenceSequence.add(s, bucket(rnd, 0.5, 1_000, 0.686, 0.700));
                ArmComparison.Judgement j = ArmComparison.judgeDifference(cs.interval(s, budget.perGuardrail()),
                        LOWER_IS_WORSE, 0.005).judgement();
                assertTrue(j != ArmComparison.Judgement.NON_INFERIOR, "a harmful challenger passed at " + n);
                if (j == ArmComparison.Judgement.HARMFUL) {
                    perArm[run] = n / 2;
                }
            }
            assertTrue(perArm[run] > 0, "run " + run + " never caught");
        }
        Arrays.sort(perArm);
        System.out.printf("seed 001 conversion drop caught after %d (median) / %d (max) decisions per arm%n",
                perArm[perArm.length / 2], perArm[perArm.length - 1]);
        assertTrue(perArm[perArm.length / 2] < 228_000 * 0.75, "median " + perArm[perArm.length / 2]);
    }

    @Test
    void saysNothingUntilBothArmsHaveTheMinimum() {
        DifferenceConfidenceSequence cs = new DifferenceConfidenceSequence(
                MeanConfidenceSequence.tunedFor(1_000, 0.05, 2), 100);
        State s = DifferenceConfidenceSequence.add(State.EMPTY, Bucket.ofRates(0.01, 99, 10, 9_900, 1_000));
        assertSame(Interval.EVERYTHING, cs.interval(s, 0.05));
    }

    /** A bucket of n decisions, each to treatment with probability share, converting with the arm's rate. */
    static Bucket bucket(SplittableRandom rnd, double share, int n, double treatmentRate, double controlRate) {
        long nt = 0;
        long et = 0;
        long nc = 0;
        long ec = 0;
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < share) {
                nt++;
                et += rnd.nextDouble() < treatmentRate ? 1 : 0;
            } else {
                nc++;
                ec += rnd.nextDouble() < controlRate ? 1 : 0;
            }
        }
        return Bucket.ofRates(share, nt, et, nc, ec);
    }
}
