package io.vigil.guardrail.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.vigil.guardrail.statistics.RateIncreaseDetector;

/**
 * Cohort monitors simulated minute by minute with fixed seeds: the family's false pages over a day of unchanged
 * traffic, and how fast seed 000's cohort (CA, 18-24: 13,300 payments an hour, incorrect approvals 2.0% -> 3.1% at
 * 00:00) pages among 50 live monitors.
 */
class CohortMonitorSimulationTest {

    static final int MONITORS = 50;
    static final double ALPHA = 0.05;
    static final RateIncreaseDetector DETECTOR = new RateIncreaseDetector(1.5, 2.0);

    @Test
    void detectorStatisticMatchesTheHandWorkedLikelihoodRatios() {
        // One alternative, twice the baseline 2%: 5 events in 100 give L = 2^5 (0.96/0.98)^95 = 4.512736; the
        // bucket starts a restart, so R = (0 + 1) L. The next bucket, 1 in 100: L' = 2 (0.96/0.98)^99 = 0.259721...;
        // without a restart R = 4.512736 L' = 1.172035, with one R = (4.512736 + 1) L' = 1.431752.
        RateIncreaseDetector d = new RateIncreaseDetector(2.0);
        RateIncreaseDetector.State s = d.update(d.start(), 5, 100, 0.02, true);
        assertEquals(Math.log(4.512735986820167), d.logStatistic(s), 1e-12);
        assertEquals(Math.log(1.1720347794685095), d.logStatistic(d.update(s, 1, 100, 0.02, false)), 1e-12);
        assertEquals(Math.log(1.4317518962888902), d.logStatistic(d.update(s, 1, 100, 0.02, true)), 1e-12);
        assertEquals(1, s.restarts());
        assertThrows(IllegalArgumentException.class, () -> new RateIncreaseDetector(0.9));
    }

    @Test
    void theBaselineIsTheMedianWeekSoOneBadWeekDoesNotMoveIt() {
        // Same hour in four weeks: 2.0%, 2.1%, 1.9% and an incident week at 9%: median 2.05%; pooled it would be 3.75%.
        assertEquals(0.0205, SeasonalBaseline.rate(new long[] {200, 210, 190, 900},
                new long[] {10_000, 10_000, 10_000, 10_000}), 1e-12);
        assertTrue(Double.isNaN(SeasonalBaseline.rate(new long[] {200, 210}, new long[] {10_000, 10_000})),
                "two weeks are not a baseline");
    }

    @Test
    void aFamilyOfFiftyMonitorsPagesFalselyOnAtMostAlphaOfDays() {
        // 200 simulated days, 50 cohorts from 500 to 25,000 payments an hour with rates 0.5% to 10%, unchanged all
        // day; hourly restart points, buckets of one minute.
        MonitorFamily family = new MonitorFamily(MONITORS, 24, ALPHA);
        SplittableRandom rnd = new SplittableRandom(2000);
        double[] perMinute = new double[MONITORS];
        double[] rate = new double[MONITORS];
        for (int i = 0; i < MONITORS; i++) {
            perMinute[i] = (500 + 24_500.0 * i / (MONITORS - 1)) / 60;
            rate[i] = 0.005 + 0.095 * ((i * 7) % MONITORS) / (MONITORS - 1);
        }
        int runs = 200;
        int daysWithAFalsePage = 0;
        for (int run = 0; run < runs; run++) {
            boolean paged = false;
            for (int i = 0; i < MONITORS && !paged; i++) {
                RateIncreaseDetector.State s = DETECTOR.start();
                for (int minute = 0; minute < 24 * 60 && !paged; minute++) {
                    long n = Math.round(perMinute[i]);
                    s = DETECTOR.update(s, binomial(rnd, n, rate[i]), n, rate[i], minute % 60 == 0);
                    paged = family.pages(DETECTOR.logStatistic(s));
                }
            }
            daysWithAFalsePage += paged ? 1 : 0;
        }
        System.out.printf("monitors: %d of %d A/A days had a false page (family of %d, alpha %.2f)%n",
                daysWithAFalsePage, runs, MONITORS, ALPHA);
        assertTrue(daysWithAFalsePage <= ALPHA * runs, daysWithAFalsePage + " days with a false page of " + runs);
    }

    @Test
    void seedZerosCohortPagesWithinHalfAnHourOfTheChangeInMostRuns() {
        // 13,300 payments an hour (222 a minute), 2.0% until 00:00, 3.1% after; the detector has run for 6 hours
        // before the change. Delay = minutes from 00:00 to the page, over 200 runs.
        MonitorFamily family = new MonitorFamily(MONITORS, 24, ALPHA);
        SplittableRandom rnd = new SplittableRandom(0);
        int runs = 200;
        int[] delays = new int[runs];
        for (int run = 0; run < runs; run++) {
            RateIncreaseDetector.State s = DETECTOR.start();
            delays[run] = -1;
            for (int minute = -360; minute < 180 && delays[run] < 0; minute++) {
                double p = minute < 0 ? 0.020 : 0.031;
                s = DETECTOR.update(s, binomial(rnd, 222, p), 222, 0.020, Math.floorMod(minute, 60) == 0);
                if (family.pages(DETECTOR.logStatistic(s))) {
                    assertTrue(minute >= 0, "paged before the change, at minute " + minute);
                    delays[run] = minute + 1;
                }
            }
            assertTrue(delays[run] > 0, "run " + run + " never paged");
        }
        Arrays.sort(delays);
        int within30 = (int) Arrays.stream(delays).filter(d -> d <= 30).count();
        System.out.printf("seed 000 cohort: paged after %d min (median), %d min (95th percentile), %d of %d within "
                + "30 min%n", delays[runs / 2], delays[(int) (runs * 0.95)], within30, runs);
        // Measured: median 17 min, 95th percentile 32 min, 180 of 200 within 30 min. Issue #17 asks for a median of
        // 15; with 50 monitors paging at a family-wise 5% a day the threshold is log(24 x 50 / 0.05) + log 2 (two
        // alternatives) = 10.8 nats, gathered at ~0.6 nats a minute at this volume (KL(3.1% || 2.0%) = 0.00265 nats a
        // payment), so the goal is not met by this detector (see the README). These bounds catch a regression.
        assertTrue(within30 >= 0.85 * runs, within30 + " of " + runs + " within 30 minutes");
        assertTrue(delays[runs / 2] <= 20, "median " + delays[runs / 2]);
    }

    @Test
    void theListKeepsOnlyTheMonitorsWhoseEvidenceClearsTheirRank() {
        // m = 4, alpha 0.1: e-values must clear 4 / (0.1 j) = 40, 20, 13.3, 10 for the top 1..4. e = {100, 15, 12, 1}:
        // j = 1 clears (100 >= 40), j = 2 not (15 < 20), j = 3 not (12 < 13.3): the list is the first monitor only.
        MonitorFamily family = new MonitorFamily(4, 24, 0.1);
        List<Integer> list = family.discoveries(new double[] {Math.log(15), Math.log(100), Math.log(1), Math.log(12)},
                new long[] {1, 1, 1, 1}, 0.1);
        assertEquals(List.of(1), list);
        // With e = {100, 25, 14, 1} the top three clear 40, 20 and 13.3.
        assertEquals(List.of(1, 0, 3), family.discoveries(
                new double[] {Math.log(25), Math.log(100), Math.log(1), Math.log(14)}, new long[] {1, 1, 1, 1}, 0.1));
    }

    /** Exact binomial draw by geometric gaps between successes: O(n p) per draw. */
    static long binomial(SplittableRandom rnd, long n, double p) {
        double logQ = Math.log1p(-p);
        long count = 0;
        long position = 0;
        while (true) {
            position += (long) Math.floor(Math.log(1 - rnd.nextDouble()) / logQ) + 1;
            if (position > n) {
                return count;
            }
            count++;
        }
    }
}
