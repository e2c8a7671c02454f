package io.vigil.guardrail.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SampleRatioTestTest {

    @Test
    void martingaleMatchesTheHandWorkedMixture() {
        // Shares 50/50 with concentration 2 is a uniform Beta(1, 1) prior; counts (3, 1): the Dirichlet-multinomial
        // probability of this sequence is B(4, 2) = 0.05 against 0.5^4 = 0.0625 under the shares: M = 0.8.
        SampleRatioTest srm = new SampleRatioTest(new double[] {0.5, 0.5}, 2);
        assertEquals(Math.log(0.8), srm.logMartingale(new long[] {3, 1}), 1e-12);
        assertEquals(1.0, srm.pValue(new long[] {3, 1}), 0);
    }

    @Test
    void aCorrectSplitRaisesAFalseMismatchInAtMostAlphaOfRuns() {
        // A 10% canary, 400 runs of 10,000 assignments, checked after every 10.
        double alpha = 0.05;
        SampleRatioTest srm = new SampleRatioTest(new double[] {0.9, 0.1}, 100);
        SplittableRandom rnd = new SplittableRandom(42);
        int runs = 400;
        int alarms = 0;
        for (int run = 0; run < runs; run++) {
            long[] n = new long[2];
            boolean alarmed = false;
            for (int i = 1; i <= 10_000 && !alarmed; i++) {
                n[rnd.nextDouble() < 0.1 ? 1 : 0]++;
                alarmed = i % 10 == 0 && srm.mismatch(n, alpha);
            }
            alarms += alarmed ? 1 : 0;
        }
        assertTrue(alarms <= alpha * runs, alarms + " false mismatches in " + runs);
    }

    @Test
    void aFiftyTwoFortyEightSplitConfiguredAsFiftyFiftyIsCaughtWithinTwentyThousand() {
        SampleRatioTest srm = new SampleRatioTest(new double[] {0.5, 0.5}, 100);
        SplittableRandom rnd = new SplittableRandom(3);
        int runs = 100;
        int caught = 0;
        for (int run = 0; run < runs; run++) {
            long[] n = new long[2];
            boolean alarmed = false;
            for (int i = 1; i <= 20_000 && !alarmed; i++) {
                n[rnd.nextDouble() < 0.52 ? 0 : 1]++;
                alarmed = i % 10 == 0 && srm.mismatch(n, 0.05);
            }
            caught += alarmed ? 1 : 0;
        }
        // A fixed-sample chi-square test at n = 20,000 has power ~0.999 here; the anytime test pays for peeking.
        assertTrue(caught >= 80, "caught " + caught + " of " + runs);
    }

    @Test
    void refusesSharesThatAreNotASplit() {
        assertThrows(IllegalArgumentException.class, () -> new SampleRatioTest(new double[] {1.0}, 10));
        assertThrows(IllegalArgumentException.class, () -> new SampleRatioTest(new double[] {0.5, 0.6}, 10));
        assertThrows(IllegalArgumentException.class, () -> new SampleRatioTest(new double[] {0.0, 1.0}, 10));
        SampleRatioTest srm = new SampleRatioTest(new double[] {0.5, 0.5}, 10);
        assertThrows(IllegalArgumentException.class, () -> srm.logMartingale(new long[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> srm.logMartingale(new long[] {-1, 2}));
    }
}
