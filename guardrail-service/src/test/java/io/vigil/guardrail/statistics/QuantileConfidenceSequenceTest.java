package io.vigil.guardrail.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantileConfidenceSequenceTest {

    @ParameterizedTest
    @CsvSource({"0.99, 200", "0.5, 200", "0.99, 5000", "0.9, 37"})
    void acceptedCountsAreExactlyTheCountsWhoseSequenceContainsQ(double q, long t) {
        // Brute force over every count: the binary searches must find the same ends.
        QuantileConfidenceSequence qcs = QuantileConfidenceSequence.forQuantile(q);
        BernoulliConfidenceSequence counts = BernoulliConfidenceSequence.centredOn(q, 10);
        long lo = -1;
        long hi = -1;
        for (long s = 0; s <= t; s++) {
            if (!counts.excludes(q, s, t, 0.05)) {
                if (lo < 0) {
                    lo = s;
                }
                hi = s;
            }
        }
        assertArrayEquals(new long[] {lo, hi}, qcs.acceptedCounts(q, t, 0.05));
    }

    @Test
    void orderStatisticsReadFromTheHistogram() {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int v = 1; v <= 10; v++) {
            h.recordValue(v);
        }
        h.recordValue(5_000);
        assertEquals(3, QuantileConfidenceSequence.orderStatistic(h, 3, false));
        assertEquals(10, QuantileConfidenceSequence.orderStatistic(h, 10, true));
        // 5,000 shares a bucket with its neighbours at 3 significant digits: bounds widen to the bucket's edges.
        assertEquals(h.highestEquivalentValue(5_000), QuantileConfidenceSequence.orderStatistic(h, 11, true));
        assertEquals(h.lowestEquivalentValue(5_000), QuantileConfidenceSequence.orderStatistic(h, 11, false));
    }

    @Test
    void coversTheP99OfExponentialLatenciesAtEveryLook() {
        // 300 streams of 5,000 latencies ~ Exp(mean 1 ms) in microseconds, looked at every 100 calls. The true p99 is
        // 1,000 ln 100 = 4,605.2 us. The sequence may miss it in at most alpha of the streams.
        double q = 0.99;
        double alpha = 0.05;
        double truth = 1_000 * Math.log(100);
        QuantileConfidenceSequence qcs = QuantileConfidenceSequence.forQuantile(q);
        SplittableRandom rnd = new SplittableRandom(99);
        int runs = 300;
        int misses = 0;
        int bounded = 0;
        for (int run = 0; run < runs; run++) {
            Histogram h = new Histogram(3_600_000_000L, 3);
            boolean missed = false;
            for (int t = 1; t <= 5_000; t++) {
                h.recordValue(Math.round(-1_000 * Math.log(1 - rnd.nextDouble())));
                if (t % 100 == 0) {
                    Interval ci = qcs.interval(h, q, alpha);
                    missed |= !ci.contains(truth);
                    if (t == 5_000 && Double.isFinite(ci.upper())) {
                        bounded++;
                    }
                }
            }
            misses += missed ? 1 : 0;
        }
        assertTrue(misses <= alpha * runs, "missed in " + misses + " of " + runs);
        assertEquals(runs, bounded, "5,000 calls bound a p99 from above");
    }

    @Test
    void tooFewCallsLeaveTheUpperEndOpen() {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < 50; i++) {
            h.recordValue(1_000 + i);
        }
        Interval ci = QuantileConfidenceSequence.forQuantile(0.99).interval(h, 0.99, 0.05);
        assertEquals(Double.POSITIVE_INFINITY, ci.upper(), "50 calls cannot bound a p99 from above");
    }
}
