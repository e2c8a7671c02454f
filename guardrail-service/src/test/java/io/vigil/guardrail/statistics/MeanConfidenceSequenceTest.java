package io.vigil.guardrail.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MeanConfidenceSequenceTest {

    @Test
    void radiusMatchesTheClosedForm() {
        // t = 100, sigma = 2, rho = 0.1, alpha = 0.05: t rho^2 + 1 = 2, so
        // r = 2 sqrt(2 * 2 / (10,000 * 0.01) * log(sqrt(2) / 0.05)) = 2 sqrt(0.04 * 3.3423574) = 0.7312790.
        assertEquals(0.7312789742727697, new MeanConfidenceSequence(0.1, 2).radius(100, 2, 0.05), 1e-12);
    }

    @Test
    void tuningMakesTheSequenceTightestNearThePlannedSize() {
        MeanConfidenceSequence tuned = MeanConfidenceSequence.tunedFor(10_000, 0.05, 2);
        double atPlan = tuned.radius(10_000, 1, 0.05);
        for (double rho : new double[] {0.002, 0.01, 0.1, 0.5}) {
            assertTrue(atPlan <= new MeanConfidenceSequence(rho, 2).radius(10_000, 1, 0.05) + 1e-12, "rho " + rho);
        }
    }

    @Test
    void coversTheMeanAtEveryLookInAtLeastOneMinusAlphaOfRuns() {
        // 1,000 streams of 2,000 N(5, 3^2) draws with the variance estimated on the way, looked at after every draw
        // from the 30th on: the sequence may miss in at most alpha of the streams; a fixed 95% interval misses in far
        // more.
        double alpha = 0.05;
        MeanConfidenceSequence cs = MeanConfidenceSequence.tunedFor(1_000, alpha, 30);
        SplittableRandom rnd = new SplittableRandom(7);
        int runs = 1_000;
        int misses = 0;
        int naiveMisses = 0;
        for (int run = 0; run < runs; run++) {
            RunningMoments m = RunningMoments.EMPTY;
            boolean missed = false;
            boolean naiveMissed = false;
            for (int t = 1; t <= 2_000; t++) {
                m = m.add(5 + 3 * gaussian(rnd));
                if (t < 30) {
                    continue;
                }
                missed |= !cs.interval(m, alpha).contains(5);
                naiveMissed |= Math.abs(m.mean() - 5) > 1.96 * m.standardDeviation() / Math.sqrt(t);
            }
            misses += missed ? 1 : 0;
            naiveMisses += naiveMissed ? 1 : 0;
        }
        assertTrue(misses <= alpha * runs, "missed in " + misses + " of " + runs);
        assertTrue(naiveMisses > 0.3 * runs, "the fixed interval should fail under peeking: " + naiveMisses);
    }

    @Test
    void saysNothingBeforeTheMinimumSample() {
        MeanConfidenceSequence cs = MeanConfidenceSequence.tunedFor(1_000, 0.05, 30);
        RunningMoments m = RunningMoments.EMPTY.add(1).add(2).add(3);
        assertSame(Interval.EVERYTHING, cs.interval(m, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new MeanConfidenceSequence(0, 30));
        assertThrows(IllegalArgumentException.class, () -> new MeanConfidenceSequence(0.1, 1));
    }

    @Test
    void momentsMergeExactlyAsIfSeenInOneStream() {
        RunningMoments all = RunningMoments.EMPTY;
        RunningMoments left = RunningMoments.EMPTY;
        RunningMoments right = RunningMoments.EMPTY;
        double[] xs = {2, 4, 4, 4, 5, 5, 7, 9};
        for (int i = 0; i < xs.length; i++) {
            all = all.add(xs[i]);
            if (i < 3) {
                left = left.add(xs[i]);
            } else {
                right = right.add(xs[i]);
            }
        }
        // Textbook example: mean 5, population variance 4, so the sample variance is 32 / 7.
        assertEquals(5, all.mean(), 1e-12);
        assertEquals(32.0 / 7, all.variance(), 1e-12);
        RunningMoments merged = left.merge(right);
        assertEquals(all.count(), merged.count());
        assertEquals(all.mean(), merged.mean(), 1e-12);
        assertEquals(all.variance(), merged.variance(), 1e-12);
    }

    static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
