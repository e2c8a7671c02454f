package io.vigil.riskmodel.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    private static final double[] SCORES = {0.1, 0.4, 0.35, 0.8};
    private static final boolean[] LABELS = {false, false, true, true};

    @Test
    void shouldComputeAucOfHandWorkedExample() {
        // Pairs (fraud, genuine): (0.35,0.1) win, (0.35,0.4) lose, (0.8,0.1) win, (0.8,0.4) win -> 3/4.
        assertEquals(0.75, BinaryMetrics.auc(SCORES, LABELS), 1e-12);
    }

    @Test
    void shouldCountTiesAsHalf() {
        assertEquals(0.5, BinaryMetrics.auc(new double[] {0.3, 0.3}, new boolean[] {true, false}), 1e-12);
        // (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.2) win = 1 -> 1.5 / 2.
        assertEquals(0.75, BinaryMetrics.auc(new double[] {0.5, 0.5, 0.2}, new boolean[] {true, false, false}), 1e-12);
    }

    @Test
    void shouldMatchBinormalClosedForm() {
        // Frauds ~ N(1,1), genuine ~ N(0,1): AUC = Phi(1 / sqrt 2) = 0.76025.
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 40_000;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0;
            s[i] = rnd.nextGaussian() + (y[i] ? 1.0 : 0.0);
        }
        assertEquals(0.76025, BinaryMetrics.auc(s, y), 0.01);
    }

    @Test
    void shouldComputeAveragePrecisionOfHandWorkedExample() {
        // Ranked: 0.8 (fraud, precision 1/1), 0.4 (genuine), 0.35 (fraud, precision 2/3) -> (1 + 2/3) / 2.
        assertEquals((1.0 + 2.0 / 3.0) / 2.0, BinaryMetrics.averagePrecision(SCORES, LABELS), 1e-12);
    }

    @Test
    void shouldComputeLogLoss() {
        double expected = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
        assertEquals(expected, BinaryMetrics.logLoss(SCORES, LABELS), 1e-12);
    }

    @Test
    void shouldComputeBayesOptimalAucFromTrueProbabilities() {
        // Half the rows at p = 0.2, half at p = 0.8. Fraud mass: 0.1 low, 0.4 high; genuine mass: 0.4 low, 0.1 high.
        // AUC = (0.4 * 0.4 + 0.5 * (0.1 * 0.4 + 0.4 * 0.1)) / (0.5 * 0.5) = 0.8, as n grows (self-pairs excluded).
        int n = 20_000;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = i < n / 2 ? 0.2 : 0.8;
        }
        assertEquals(0.8, BinaryMetrics.bayesOptimalAuc(p), 1e-4);
    }

    @Test
    void shouldEqualOrdinaryAucForHardLabels() {
        double[] soft = {0, 0, 1, 1};
        assertEquals(0.75, BinaryMetrics.softAuc(SCORES, soft), 1e-12);
    }
}
