package io.vigil.guardrail.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RateRatioConfidenceSequenceTest {

    @Test
    void noEventsOnTreatmentGivesTheClosedFormUpperEnd() {
        // Uniform allocation prior, 0 of 100 events on treatment: pi's upper end is 1 - (0.05 / 101)^(1/100) =
        // 0.0732844 (see BernoulliConfidenceSequenceTest); at a 50% share theta = pi / (1 - pi) = 0.0790799.
        Interval theta = new RateRatioConfidenceSequence(BernoulliConfidenceSequence.uniform())
                .interval(0, 100, 0.5, 0.05);
        assertEquals(0, theta.lower());
        double pi = 0.07328437340289995;
        assertEquals(pi / (1 - pi), theta.upper(), 1e-8);
    }

    @Test
    void aHandfulOfEventsGivesAWideIntervalNotAVerdict() {
        // 3 chargebacks on a 10% canary and 20 on control: 3/23 = 13% of events on 10% of traffic looks like a 35%
        // higher rate, but 23 events cannot tell; the interval must contain 1.
        Interval theta = RateRatioConfidenceSequence.forShare(0.1).interval(3, 23, 0.1, 0.05);
        assertTrue(theta.contains(1.0), theta.toString());
        assertTrue(theta.upper() > 3, "wide, as 23 events are: " + theta);
    }

    @Test
    void coversTheTrueRatioUnderContinuousMonitoring() {
        // 400 canaries at 10%, chargeback rate 0.4% on control and 0.6% on treatment (ratio 1.5), 100,000 decisions
        // each, checked after every event.
        double alpha = 0.05;
        RateRatioConfidenceSequence cs = RateRatioConfidenceSequence.forShare(0.1);
        SplittableRandom rnd = new SplittableRandom(5);
        int runs = 400;
        int misses = 0;
        int excludedOne = 0;
        for (int run = 0; run < runs; run++) {
            long onTreatment = 0;
            long all = 0;
            boolean missed = false;
            for (int i = 0; i < 100_000; i++) {
                boolean treatment = rnd.nextDouble() < 0.1;
                if (rnd.nextDouble() < (treatment ? 0.006 : 0.004)) {
                    all++;
                    onTreatment += treatment ? 1 : 0;
                    missed |= !cs.interval(onTreatment, all, 0.1, alpha).contains(1.5);
                }
            }
            misses += missed ? 1 : 0;
            excludedOne += cs.interval(onTreatment, all, 0.1, alpha).lower() > 1 ? 1 : 0;
        }
        assertTrue(misses <= alpha * runs, "missed the true ratio in " + misses + " of " + runs);
        assertTrue(excludedOne > 0, "some canaries should show the 50% increase by 100,000 decisions");
    }
}
