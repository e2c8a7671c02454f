package io.vigil.features.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriftStatisticsTest {

    private static final double ALPHA = 0.001;
    private static final double FLOOR = 0.25;

    @Test
    void shouldComputePsiAsWorkedByHand() {
        // (0.3-0.5) ln(0.3/0.5) + (0.7-0.5) ln(0.7/0.5) = 0.2 x 0.510826 + 0.2 x 0.336472
        assertEquals(0.169460, DriftStatistics.psi(new double[] { 0.5, 0.5 }, new double[] { 0.3, 0.7 }), 1e-6);
        assertEquals(0.0, DriftStatistics.psi(new double[] { 0.2, 0.8 }, new double[] { 0.2, 0.8 }), 0);
        // counts 50/50 vs 30/70 with half a pseudo-count per bin: p = 50.5/101 each, q = 30.5/101, 70.5/101
        assertEquals(0.165918, DriftStatistics.psi(new long[] { 50, 50 }, new long[] { 30, 70 }), 1e-6);
    }

    @Test
    void shouldScaleTheChiSquareQuantileBySampleSizes() {
        // chi2(0.999; 9) = 27.877 (table value); x (n + m) / (n m)
        assertEquals(27.877 * (20 + 1000) / (20.0 * 1000), DriftStatistics.psiCriticalValue(10, 20, 1000, ALPHA), 1e-3);
        assertEquals(27.877 * 2 / 10000.0, DriftStatistics.psiCriticalValue(10, 10000, 10000, ALPHA), 1e-5);
        assertEquals(FLOOR, DriftStatistics.psiAlarmLevel(10, 10000, 10000, ALPHA, FLOOR), 0);
    }

    @Test
    void shouldComputeTheKsStatisticAsWorkedByHand() {
        // ECDFs of {1,2,3,4} and {3,4,5,6} differ most at 2: 0.5 - 0
        assertEquals(0.5, DriftStatistics.ksStatistic(new double[] { 1, 2, 3, 4 }, new double[] { 3, 4, 5, 6 }), 1e-12);
        assertEquals(1.0, DriftStatistics.ksStatistic(new double[] { 1, 2 }, new double[] { 5, 6 }), 1e-12);
        // c(0.001) = sqrt(-ln(0.0005) / 2) = 1.94947
        assertEquals(1.94947 * Math.sqrt(2.0 / 100), DriftStatistics.ksCriticalValue(100, 100, ALPHA), 1e-5);
    }

    @Test
    void shouldComputeTheBinomialTailAsWorkedByHand() {
        // P(X >= 3 | 10, 0.1) = 1 - (0.9^10 + 10 x 0.1 x 0.9^9 + 45 x 0.01 x 0.9^8) = 0.0701908
        assertEquals(0.0701908, DriftStatistics.binomialUpperTail(3, 10, 0.1), 1e-6);
        assertEquals(1.0, DriftStatistics.binomialUpperTail(0, 10, 0.1), 0);
        assertEquals(0.5, DriftStatistics.referenceRate(0, 0), 0);
        assertEquals(1.0 / 1002, DriftStatistics.referenceRate(0, 1000), 1e-12);
    }

    @ParameterizedTest(name = "default rate {0}/{1} vs {2}/{3} -> {4}")
    @CsvSource({
            // window x/n, reference xr/m (p0 = (xr + 1) / (m + 2)), alarm; tail probabilities worked with exact sums
            "60, 100, 0, 1000, true", // 60% vs 0.1%: P(X>=60) ~ 2.6e-15
            "3, 100, 10, 1000, false", // 3% vs 1.1%: under the 5-point floor
            "8, 100, 10, 1000, true", // 8% vs 1.1%: above the floor, P(X>=8 | 100, 0.011) = 1.6e-5 < 0.001
            "7, 100, 10, 1000, true", // 7% vs 1.1%: P(X>=7) = 1.26e-4 < 0.001
            "5, 30, 10, 1000, true", // 16.7% vs 1.1%: P(X>=5 | 30) = 1.8e-5
            "1, 10, 10, 1000, false", // 10% vs 1.1% in 10: P(X>=1) = 0.10
    })
    void shouldApplyTheRateAlarmRule(int x, int n, int xr, int m, boolean expected) {
        assertEquals(expected, DriftStatistics.rateAlarm(x, n, xr, m, ALPHA, 0.05));
    }

    /**
     * Stable data: window and reference drawn from one 10-level distribution, segment sizes from 20 to 2,000. The
     * sample-size-aware rule must alarm in under 1% of windows; the bare 0.25 floor alarms on most tiny segments.
     */
    @Test
    void shouldRarelyAlarmOnStableDataWhateverTheSegmentSize() {
        SplittableRandom random = new SplittableRandom(20261125L);
        double[] shares = { 0.30, 0.20, 0.12, 0.10, 0.08, 0.07, 0.05, 0.04, 0.03, 0.01 };
        int[] sizes = { 20, 50, 100, 500, 2000 };
        int windows = 0;
        int ruleAlarms = 0;
        int floorAlarmsTiny = 0;
        int tinyWindows = 0;
        for (int n : sizes) {
            for (int trial = 0; trial < 400; trial++) {
                long[] ref = sample(random, shares, 1000);
                long[] win = sample(random, shares, n);
                double psi = DriftStatistics.psi(ref, win);
                windows++;
                if (psi > DriftStatistics.psiAlarmLevel(shares.length, n, 1000, ALPHA, FLOOR)) {
                    ruleAlarms++;
                }
                if (n == 20) {
                    tinyWindows++;
                    if (psi > FLOOR) {
                        floorAlarmsTiny++;
                    }
                }
            }
        }
        assertTrue(ruleAlarms < windows / 100, ruleAlarms + " false alarms in " + windows + " stable windows");
        assertTrue(floorAlarmsTiny > tinyWindows / 2,
                "a fixed 0.25 floor alone should alarm on most 20-observation windows: " + floorAlarmsTiny + "/" + tinyWindows);
    }

    @Test
    void shouldStillAlarmOnARealShiftInALargeSegment() {
        SplittableRandom random = new SplittableRandom(7L);
        double[] before = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };
        double[] after = { 0.55, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05 };
        long[] ref = sample(random, before, 1000);
        long[] win = sample(random, after, 500);
        double psi = DriftStatistics.psi(ref, win);
        assertTrue(psi > DriftStatistics.psiAlarmLevel(10, 500, 1000, ALPHA, FLOOR), "psi " + psi);
    }

    @Test
    void shouldRarelyAlarmOnStableNumericDataWithKs() {
        SplittableRandom random = new SplittableRandom(99L);
        int alarms = 0;
        int windows = 300;
        for (int t = 0; t < windows; t++) {
            double[] ref = normal(random, 400);
            double[] win = normal(random, 30 + t);
            double d = DriftStatistics.ksStatistic(win, ref);
            if (d > Math.max(0.1, DriftStatistics.ksCriticalValue(win.length, ref.length, ALPHA))) {
                alarms++;
            }
        }
        assertTrue(alarms < windows / 100, alarms + " KS false alarms in " + windows);
        double[] shifted = normal(random, 300);
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 0.5;
        }
        double[] ref = normal(random, 400);
        assertTrue(DriftStatistics.ksStatistic(shifted, ref) > DriftStatistics.ksCriticalValue(300, 400, ALPHA));
    }

    @Test
    void shouldRarelyRaiseARateAlarmOnAStableRate() {
        SplittableRandom random = new SplittableRandom(11L);
        int alarms = 0;
        int windows = 0;
        for (int n : new int[] { 30, 100, 500, 2000 }) {
            for (int t = 0; t < 500; t++) {
                long ref = binomial(random, 1000, 0.03);
                long win = binomial(random, n, 0.03);
                windows++;
                if (DriftStatistics.rateAlarm(win, n, ref, 1000, ALPHA, 0.05)) {
                    alarms++;
                }
            }
        }
        assertTrue(alarms < windows / 100, alarms + " rate false alarms in " + windows);
        // and a sentinel flood (3% -> 40%) in a 100-observation window alarms
        assertTrue(DriftStatistics.rateAlarm(40, 100, 30, 1000, ALPHA, 0.05));
    }

    static long binomial(SplittableRandom random, int n, double p) {
        long x = 0;
        for (int i = 0; i < n; i++) {
            x += random.nextDouble() < p ? 1 : 0;
        }
        return x;
    }

    static long[] sample(SplittableRandom random, double[] shares, int n) {
        long[] counts = new long[shares.length];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int k = 0;
            double acc = shares[0];
            while (u > acc && k < shares.length - 1) {
                acc += shares[++k];
            }
            counts[k]++;
        }
        return counts;
    }

    static double[] normal(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller
            v[i] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return v;
    }
}
