package io.vigil.scoring.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ArmAssignmentTest {

    final ArmAssignment arms = new ArmAssignment(10_000);

    @Test
    void shouldGiveTheChallengerItsShareWithinBinomialBounds() {
        // 100,000 distinct accounts at share p: the count is Binomial(n, p); accept within 4.5 standard deviations
        // (a false alarm about once in 150,000 runs), for several shares.
        int n = 100_000;
        for (double p : new double[] {0.01, 0.05, 0.2, 0.5}) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                if (arms.challenger("acct-" + i, p)) {
                    hits++;
                }
            }
            double mean = n * p;
            double sd = Math.sqrt(n * p * (1 - p));
            assertTrue(Math.abs(hits - mean) <= 4.5 * sd, "share " + p + ": " + hits + " of " + n);
        }
    }

    @Test
    void shouldBeStickyAndNested() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            String account = Long.toHexString(random.nextLong());
            int bucket = arms.bucket(account);
            assertEquals(bucket, arms.bucket(new String(account.toCharArray())), "same id, same bucket");
            assertTrue(bucket >= 0 && bucket < 10_000);
            // Raising the share only adds accounts: whoever was in the challenger at 5% stays at 20%.
            if (arms.challenger(account, 0.05)) {
                assertTrue(arms.challenger(account, 0.20));
            }
        }
    }

    @Test
    void shouldSendNobodyAtZeroAndEverybodyAtOne() {
        for (int i = 0; i < 1000; i++) {
            assertTrue(!arms.challenger("a" + i, 0.0));
            assertTrue(arms.challenger("a" + i, 1.0));
        }
    }

    @Test
    void shouldSpreadBucketsUniformly() {
        // Chi-square over 20 groups of buckets, 19 degrees of freedom: the 0.999 quantile is 43.82.
        int n = 200_000;
        int[] counts = new int[20];
        for (int i = 0; i < n; i++) {
            counts[arms.bucket("user-" + i) / 500]++;
        }
        double expected = n / 20.0;
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < 43.82, "chi-square " + chi2);
    }
}
