package io.vigil.guardrail.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.vigil.guardrail.statistics.RateIncreaseDetector;

/**
 * Cohort monitors simulated minute by minute with fixed seeds: the family's false pages over a day of unchanged
 * traffic, and how fast seed 000's cohort (CA, 18-24: 13,300 payments an hour, incorrect approvals 2.0% -> 3.1% at
 * 00:00) pages among the service's 56 live monitors, each with baselines estimated from simulated weeks.
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

    /**
     * The service's own family: the default catalog (the simulator's 8 cohorts x 7 metrics = 56 monitors), each metric
     * with its detector's alternatives, the family's paging threshold at alpha 0.05 a day.
     */
    static final MonitorCatalog CATALOG = MonitorCatalog.of(MonitorCatalog.DEFAULT_COHORTS, List.of());
    static final MonitorRound ROUND = new MonitorRound(CATALOG, ALPHA, new MonitorRound.BaselineSettings(4, 24, 200));

    @Test
    void theServicesFamilyOfFiftySixMonitorsPagesFalselyOnAtMostAlphaOfDays() {
        // 200 simulated days of unchanged traffic. Each cohort has its volume (500 to 25,000 payments an hour) and
        // each metric a rate in its usual range (non-conversion ~30%, declines a few percent, fallbacks under 2%);
        // every hour's baseline is estimated as the service does, the median of the same hour in 4 simulated past
        // weeks (so baseline error is part of the test), and minutes are folded through MonitorDetection.
        int m = CATALOG.size();
        assertEquals(56, m);
        SplittableRandom rnd = new SplittableRandom(2000);
        double[] perHour = new double[m];
        double[] rate = new double[m];
        MonitorDetection[] detection = new MonitorDetection[m];
        for (int i = 0; i < m; i++) {
            MonitorDefinition d = CATALOG.get(i);
            int cohort = i / MonitorMetric.values().length;
            perHour[i] = 500 + 24_500.0 * ((cohort * 3) % 8) / 7;
            double u = ((i * 7) % m) / (double) (m - 1);
            rate[i] = switch (d.metric()) {
                case CONVERSION -> 0.25 + 0.10 * u;
                case DECLINE_RATE -> 0.03 + 0.05 * u;
                case STEP_UP_RATE -> 0.02 + 0.04 * u;
                case REVIEW_RATE -> 0.01 + 0.02 * u;
                case FALLBACK_RATE -> 0.005 + 0.015 * u;
                case INCORRECT_APPROVAL -> 0.005 + 0.025 * u;
                case SLOW_SCORE_RATE -> 0.01 + 0.04 * u;
            };
            detection[i] = ROUND.detection(d.metric());
        }
        int runs = 200;
        int daysWithAFalsePage = 0;
        for (int run = 0; run < runs; run++) {
            boolean paged = false;
            for (int i = 0; i < m && !paged; i++) {
                MonitorDetection.Snapshot s = detection[i].start();
                long n = Math.round(perHour[i] / 60);
                for (int hour = 0; hour < 24 && !paged; hour++) {
                    MonitorBaseline baseline = seasonal(rnd, Math.round(perHour[i]), rate[i]);
                    for (int minute = 0; minute < 60 && !paged; minute++) {
                        MonitorDetection.Step step = detection[i].fold(s, hour * 60L + minute, n,
                                binomial(rnd, n, rate[i]), baseline);
                        s = step.snapshot();
                        paged = step.change() == MonitorDetection.Change.ALARM;
                    }
                }
            }
            daysWithAFalsePage += paged ? 1 : 0;
        }
        System.out.printf("monitors: %d of %d A/A days had a false page (family of %d, alpha %.2f, page threshold "
                + "e^%.2f, seasonal baselines from 4 simulated weeks)%n", daysWithAFalsePage, runs, m, ALPHA,
                ROUND.family().logPageThreshold());
        assertTrue(daysWithAFalsePage <= ALPHA * runs, daysWithAFalsePage + " days with a false page of " + runs);
    }

    @Test
    void seedZerosCohortPagesWithinHalfAnHourOfTheLabelsAmongFiftySixMonitors() {
        // The incorrect-approval monitor of CA 18-24 in the service's family of 56: 13,300 payments an hour (222 a
        // minute), labels at 2.0% until 00:00 and 3.1% after (the proxy's clock: the spiked labels' arrival), each
        // hour's baseline the median of 4 simulated weeks at 2.0%; the detector has run for 6 hours before.
        MonitorDetection detection = ROUND.detection(MonitorMetric.INCORRECT_APPROVAL);
        SplittableRandom rnd = new SplittableRandom(0);
        int runs = 200;
        int[] delays = new int[runs];
        for (int run = 0; run < runs; run++) {
            MonitorDetection.Snapshot s = detection.start();
            delays[run] = -1;
            MonitorBaseline baseline = null;
            for (int minute = -360; minute < 180 && delays[run] < 0; minute++) {
                if (baseline == null || Math.floorMod(minute, 60) == 0) {
                    baseline = seasonal(rnd, 13_300, 0.020);
                }
                double p = minute < 0 ? 0.020 : 0.031;
                MonitorDetection.Step step = detection.fold(s, minute, 222, binomial(rnd, 222, p), baseline);
                s = step.snapshot();
                if (step.change() == MonitorDetection.Change.ALARM) {
                    assertTrue(minute >= 0, "paged before the change, at minute " + minute);
                    delays[run] = minute + 1;
                }
            }
            assertTrue(delays[run] > 0, "run " + run + " never paged");
        }
        Arrays.sort(delays);
        int within30 = (int) Arrays.stream(delays).filter(d -> d <= 30).count();
        System.out.printf("seed 000 cohort among %d monitors: paged after %d min (median), %d min (95th percentile), "
                + "%d of %d within 30 min%n", CATALOG.size(), delays[runs / 2], delays[(int) (runs * 0.95)], within30,
                runs);
        // Measured: median 19 min, 95th percentile 47 min, 156 of 200 within 30 min. Issue #17 asks for a median of
        // 15 min: with 56 monitors paging at a family-wise 5% a day the threshold is log(24 x 56 / 0.05) + log 2 (two
        // alternatives) = 10.9 nats, gathered at ~0.59 nats a minute at this volume (KL(3.1% || 2.0%) = 0.00265 nats
        // a payment x 222) even against the true baseline (median 17-18 min then); the guard against the estimated
        // baseline's own noise (MonitorBaseline) costs about 2 more. Not met; see the README. These bounds catch a
        // regression.
        assertTrue(within30 >= 0.7 * runs, within30 + " of " + runs + " within 30 minutes");
        assertTrue(delays[runs / 2] <= 22, "median " + delays[runs / 2]);
    }

    /** A baseline as the service estimates it: the median of one hour's rate in 4 past weeks, each drawn. */
    static MonitorBaseline seasonal(SplittableRandom rnd, long perHour, double rate) {
        Map<Long, HourCounts> weeks = new HashMap<>();
        for (int w = 1; w <= 4; w++) {
            weeks.put(168L * 10 - 168L * w, new HourCounts(perHour, binomialFast(rnd, perHour, rate)));
        }
        return MonitorBaseline.of(168L * 10, h -> weeks.getOrDefault(h, HourCounts.NONE), 4, 24, 200);
    }

    /** Exact for small means; a normal draw (rounded, clipped) for large ones, where it is the same to a few 0.1%. */
    static long binomialFast(SplittableRandom rnd, long n, double p) {
        double mean = n * p;
        double var = mean * (1 - p);
        if (var < 100) {
            return binomial(rnd, n, p);
        }
        double u1 = 1 - rnd.nextDouble();
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rnd.nextDouble());
        return Math.max(0, Math.min(n, Math.round(mean + z * Math.sqrt(var))));
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
