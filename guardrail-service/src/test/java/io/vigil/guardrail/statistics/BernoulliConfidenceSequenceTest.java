package io.vigil.guardrail.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.junit.jupiter.api.Test;

class BernoulliConfidenceSequenceTest {

    @Test
    void martingaleMatchesTheHandWorkedMixture() {
        // Uniform prior, 3 successes in 4: the mixture likelihood is B(4, 2) = 3! 1! / 5! = 0.05, the likelihood under
        // p = 0.5 is 0.5^4 = 0.0625, so M = 0.8.
        assertEquals(Math.log(0.8), BernoulliConfidenceSequence.uniform().logMartingale(0.5, 3, 4), 1e-12);
    }

    @Test
    void upperBoundWithNoSuccessesHasAClosedForm() {
        // S = 0 under a uniform prior: M(p) = B(1, n + 1) / (1 - p)^n = 1 / ((n + 1)(1 - p)^n), so the upper end is
        // 1 - (alpha / (n + 1))^(1/n): 0.0732844 for n = 100, alpha = 0.05.
        Interval ci = BernoulliConfidenceSequence.uniform().interval(0, 100, 0.05);
        assertEquals(0.0, ci.lower());
        assertEquals(0.07328437340289995, ci.upper(), 1e-9);
    }

    @Test
    void boundsAreWhereTheMixtureRatioReachesOneOverAlpha() {
        // Independent check of the bounds: integrate the mixture numerically instead of using the Beta function.
        long s = 7;
        long t = 20;
        double alpha = 0.05;
        Interval ci = BernoulliConfidenceSequence.uniform().interval(s, t, alpha);
        double mixture = simpson(q -> Math.pow(q, s) * Math.pow(1 - q, t - s), 0, 1, 20_000);
        for (double bound : new double[] {ci.lower(), ci.upper()}) {
            double ratio = mixture / (Math.pow(bound, s) * Math.pow(1 - bound, t - s));
            assertEquals(1 / alpha, ratio, 1e-6 / alpha);
        }
        assertTrue(ci.lower() < 0.35 && 0.35 < ci.upper());
    }

    @Test
    void containsTheFixedSampleExactIntervalAtSeedZeroVolume() {
        // Seed 000: 3.1% incorrect approvals on 120,000 payments. A sequence valid at every look must be at least as
        // wide as the exact interval valid at one look, and it should not be wildly wider.
        long s = 3_720;
        long n = 120_000;
        Interval cs = BernoulliConfidenceSequence.centredOn(0.02, 100).interval(s, n, 0.05);
        ConfidenceInterval cp = new ClopperPearsonInterval().createInterval((int) n, (int) s, 0.95);
        assertTrue(cs.lower() <= cp.getLowerBound() && cp.getUpperBound() <= cs.upper(), cs + " vs " + cp);
        assertTrue(cs.width() < 2.5 * (cp.getUpperBound() - cp.getLowerBound()), cs + " vs " + cp);
        assertTrue(cs.lower() > 0.020, "3.1% against 2.0% is decided at this volume: " + cs);
    }

    @Test
    void neverExcludesTheTrueRateMoreOftenThanAlphaUnderContinuousMonitoring() {
        // 1,000 streams of 3,000 Bernoulli(0.02) draws, looked at after every draw. A fixed-sample 95% Wald interval
        // looked at that often misses the truth in most streams; the sequence must miss in at most 5%.
        double p = 0.02;
        double alpha = 0.05;
        int runs = 1_000;
        int draws = 3_000;
        BernoulliConfidenceSequence[] priors = {BernoulliConfidenceSequence.uniform(),
            BernoulliConfidenceSequence.centredOn(0.02, 100)};
        for (BernoulliConfidenceSequence cs : priors) {
            SplittableRandom rnd = new SplittableRandom(20261129);
            int sequenceMisses = 0;
            int waldMisses = 0;
            for (int run = 0; run < runs; run++) {
                long s = 0;
                boolean missed = false;
                boolean waldMissed = false;
                for (int t = 1; t <= draws; t++) {
                    if (rnd.nextDouble() < p) {
                        s++;
                    }
                    if (!missed && cs.excludes(p, s, t, alpha)) {
                        missed = true;
                    }
                    if (!waldMissed && t >= 30) {
                        double mean = (double) s / t;
                        double half = 1.96 * Math.sqrt(mean * (1 - mean) / t);
                        waldMissed = Math.abs(mean - p) > half;
                    }
                }
                sequenceMisses += missed ? 1 : 0;
                waldMisses += waldMissed ? 1 : 0;
            }
            double rate = (double) sequenceMisses / runs;
            assertTrue(rate <= alpha, "sequence missed in " + rate + " of runs");
            assertTrue(waldMisses > 0.3 * runs, "the naive interval should fail under peeking: " + waldMisses);
        }
    }

    @Test
    void refusesImpossibleCounts() {
        BernoulliConfidenceSequence cs = BernoulliConfidenceSequence.uniform();
        assertThrows(IllegalArgumentException.class, () -> cs.interval(5, 4, 0.05));
        assertThrows(IllegalArgumentException.class, () -> cs.interval(-1, 4, 0.05));
        assertThrows(IllegalArgumentException.class, () -> cs.interval(1, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new BernoulliConfidenceSequence(0, 1));
        assertThrows(IllegalArgumentException.class, () -> BernoulliConfidenceSequence.centredOn(1.0, 10));
        assertFalse(cs.interval(0, 0, 0.05).width() < 1, "no data: every rate is plausible");
    }

    static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, int intervals) {
        double h = (b - a) / intervals;
        double sum = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < intervals; i++) {
            sum += f.applyAsDouble(a + i * h) * (i % 2 == 0 ? 2 : 4);
        }
        return sum * h / 3;
    }
}
