package io.vigil.guardrail.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;
import org.junit.jupiter.api.Test;

/** Each analysis against figures worked out by hand (and, for the intervals, by commons-math's own Wilson). */
class AnalysesTest {

    @Test
    void impactOfSeedZeroIsThirteenHundredTwentyExcessIncorrectApprovals() {
        // 3.1% of 120,000 = 3,720 against 2.0% = 2,400: excess 1,320; at $85 a payment, $112,200.
        ImpactAnalysis.Result r = ImpactAnalysis.analyse(new ImpactAnalysis.Request("country=CA & age=18-24",
                "incorrect_approval_rate", 3_720, 120_000, 1_000_000, 0.02, 85, 0.95));
        ConfidenceInterval wilson = new WilsonScoreInterval().createInterval(120_000, 3_720, 0.95);
        assertEquals(0.031, r.rate().rate(), 1e-12);
        assertEquals(wilson.getLowerBound(), r.rate().interval().lower(), 1e-9);
        assertEquals(wilson.getUpperBound(), r.rate().interval().upper(), 1e-9);
        assertEquals("3.00% - 3.20%", String.format("%.2f%% - %.2f%%", 100 * r.rate().interval().lower(),
                100 * r.rate().interval().upper()));
        assertEquals(2_400, r.expectedHarmed(), 1e-9);
        assertEquals(1_320, r.excessHarmed(), 1e-9);
        assertEquals(120_000 * wilson.getLowerBound() - 2_400, r.excessInterval().lower(), 1e-6);
        assertEquals(120_000 * wilson.getUpperBound() - 2_400, r.excessInterval().upper(), 1e-6);
        assertEquals(112_200, r.moneyAtStakeUsd(), 1e-6);
        assertEquals("cohort volume: 120,000 payments of country=CA & age=18-24 (12.0% of the site's 1,000,000)",
                r.denominator());
    }

    @Test
    void impactRefusesASiteVolumePassedAsTheCohortsAndSaysNothingWithoutData() {
        InvalidAnalysisException e = assertThrows(InvalidAnalysisException.class, () -> ImpactAnalysis.analyse(
                new ImpactAnalysis.Request("CA 18-24", "incorrect_approval_rate", 3_720, 120_000, 100_000, 0.02, 85,
                        0.95)));
        assertEquals("cohort_volume", e.field());
        assertThrows(InvalidAnalysisException.class, () -> ImpactAnalysis.analyse(new ImpactAnalysis.Request("c", "m",
                10, 5, 0, 0.02, 1, 0.95)));
        ImpactAnalysis.Result none = ImpactAnalysis.analyse(new ImpactAnalysis.Request("c", "m", 0, 0, 0, 0.02, 1,
                0.95));
        assertFalse(none.rate().hasData());
        assertTrue(Double.isNaN(none.rate().rate()), "no payments: the rate is unknown, not 0");
    }

    @Test
    void thresholdWhatIfOfSeedZeroUsesTheArithmeticNotTheSeedsRoundedFigure() {
        // 120,000 payments at 3.1% prevalence: 3,720 frauds, 116,280 legitimate. FPR 0.040 -> 0.055 adds
        // 0.015 x 116,280 = 1,744.2 false-positive reviews (the seed's note says 1,747); TPR 0.72 -> 0.80 catches
        // 0.08 x 3,720 = 297.6 more frauds, which are flagged too: flagged 7,329.6 -> 9,371.4 (+2,041.8).
        ThresholdWhatIf.Result r = ThresholdWhatIf.compare(new ThresholdWhatIf.OperatingPoint(0.60, 0.72, 0.040),
                new ThresholdWhatIf.OperatingPoint(0.55, 0.80, 0.055), 120_000, 0.031, 8_000);
        assertEquals(1_744.2, r.falsePositivesAdded(), 1e-9);
        assertEquals(297.6, r.fraudsNewlyCaught(), 1e-9);
        assertEquals(7_329.6, r.flaggedBefore(), 1e-9);
        assertEquals(9_371.4, r.flaggedAfter(), 1e-9);
        assertEquals(2_041.8, r.flaggedAdded(), 1e-9);
        assertEquals(1_744.2, r.approvalsLost(), 1e-9);
        assertFalse(r.withinCapacity(), "9,371 flagged exceed a desk of 8,000");
    }

    @Test
    void operatingPointsComeFromLoggedScoresAndMaturedLabels() {
        double[] scores = {0.1, 0.5, 0.7, 0.9};
        boolean[] fraud = {false, true, false, true};
        ThresholdWhatIf.OperatingPoint p = ThresholdWhatIf.ratesAt(scores, fraud, 0.6);
        assertEquals(0.5, p.truePositiveRate());
        assertEquals(0.5, p.falsePositiveRate());
        assertEquals("threshold", assertThrows(InvalidAnalysisException.class,
                () -> ThresholdWhatIf.ratesAt(scores, fraud, 1.2)).field());
        assertEquals("labels", assertThrows(InvalidAnalysisException.class,
                () -> ThresholdWhatIf.ratesAt(scores, new boolean[4], 0.5)).field());
    }

    @Test
    void differenceInDifferencesIsolatesTheVoiceStepUpDrop() {
        // Voice step-up success 97% -> 86%, other channels 95% -> 94.5% (1,000 each): DiD = -0.11 - (-0.005) = -0.105,
        // SE = sqrt(.97*.03 + .86*.14 + .95*.05 + .945*.055) / sqrt(1000) = 0.0157789.
        DifferenceInDifferences.Result r = DifferenceInDifferences.estimate(new DifferenceInDifferences.Cell(970, 1000),
                new DifferenceInDifferences.Cell(860, 1000), new DifferenceInDifferences.Cell(950, 1000),
                new DifferenceInDifferences.Cell(945, 1000), 0.95);
        assertEquals(-0.105, r.estimate(), 1e-12);
        assertEquals(0.01577894166286193, r.standardError(), 1e-12);
        assertEquals(-0.13592615737336794, r.interval().lower(), 1e-9);
        assertEquals(-0.07407384262663207, r.interval().upper(), 1e-9);
        assertTrue(r.significant());
    }

    @Test
    void switchbackBlocksFollowFromBinomialAndBetweenBlockVariance() {
        // p = 0.5, effect 5 pp, 1,000 decisions an hour, carry-over 15 min -> 1 h blocks of 1,000. z = 1.959964 +
        // 0.841621 = 2.801585. tau = 0: 4 z^2 (0.25 / 1000) / 0.0025 = 3.14 -> 4 blocks. tau = 0.02: variance
        // 0.00065 -> 8.16 -> 9 -> 10 blocks (even, half each way).
        SwitchbackPlan.Plan quiet = SwitchbackPlan.plan(0.5, 0.05, 1_000, 0.25, 0, 0.05, 0.8);
        assertEquals(1.0, quiet.blockHours());
        assertEquals(1_000, quiet.decisionsPerBlock());
        assertEquals(4, quiet.blocks());
        SwitchbackPlan.Plan diurnal = SwitchbackPlan.plan(0.5, 0.05, 1_000, 0.25, 0.02, 0.05, 0.8);
        assertEquals(10, diurnal.blocks());
        assertEquals(10.0, diurnal.totalHours());
        assertEquals(3.0, SwitchbackPlan.plan(0.5, 0.05, 1_000, 1.5, 0, 0.05, 0.8).blockHours(),
                "a block is twice the carry-over");
    }

    @Test
    void funnelNamesTheStepUpStepOfSeedTwo() {
        // Voice: scored -> approved or passed step-up -> authorized -> ordered. Before 10,000 / 9,700 / 9,500 / 9,000;
        // after 10,000 / 8,600 / 8,420 / 7,980: the step-up step falls 97% -> 86%, the later steps hold (97.9%, 94.7%).
        List<String> steps = List.of("scored", "approved or passed step-up", "authorized", "ordered");
        FunnelBreakpoints.Result r = FunnelBreakpoints.compare(
                new FunnelBreakpoints.Funnel(steps, new long[] {10_000, 9_700, 9_500, 9_000}),
                new FunnelBreakpoints.Funnel(steps, new long[] {10_000, 8_600, 8_420, 7_980}), 1_200_000, 28, 0.95);
        assertEquals("approved or passed step-up", r.brokenStep().step());
        assertEquals(-0.11, r.brokenStep().change(), 1e-12);
        assertFalse(r.steps().get(1).significantDrop());
        assertFalse(r.steps().get(2).significantDrop());
        // End to end 90.0% -> 79.8%: -0.102 x 1.2 M sessions x $28 = -$3,427,200 a day.
        assertEquals(-3_427_200, r.revenue().base(), 1e-6);
        assertTrue(r.revenue().worst() < r.revenue().base() && r.revenue().base() < r.revenue().best());
    }

    @Test
    void aFunnelWithNothingBrokenNamesNoStepAndARefusedFunnelNamesTheField() {
        List<String> steps = List.of("scored", "approved", "ordered");
        FunnelBreakpoints.Result r = FunnelBreakpoints.compare(
                new FunnelBreakpoints.Funnel(steps, new long[] {1_000, 900, 800}),
                new FunnelBreakpoints.Funnel(steps, new long[] {1_000, 905, 801}), 1, 1, 0.95);
        assertNull(r.brokenStep());
        assertEquals("reached", assertThrows(InvalidAnalysisException.class,
                () -> new FunnelBreakpoints.Funnel(steps, new long[] {1_000, 1_100, 800})).field());
    }

    @Test
    void slicesAreRankedByTheirShareOfTheExcess() {
        // Baseline 2%, four merchants of 10,000 payments: excesses 300, 200, 50, -20 of a total 530.
        List<SliceContribution.Contribution> ranked = SliceContribution.rank(List.of(
                new SliceContribution.Slice("m3", 250, 10_000), new SliceContribution.Slice("m1", 500, 10_000),
                new SliceContribution.Slice("m4", 180, 10_000), new SliceContribution.Slice("m2", 400, 10_000)),
                0.02, 0.95);
        assertEquals(List.of("m1", "m2", "m3", "m4"), ranked.stream().map(SliceContribution.Contribution::value)
                .toList());
        assertEquals(300, ranked.get(0).excess(), 1e-9);
        assertEquals(300.0 / 530, ranked.get(0).share(), 1e-12);
        assertEquals(500.0 / 530, ranked.get(1).cumulativeShare(), 1e-12);
        assertEquals(-20.0 / 530, ranked.get(3).share(), 1e-12);
        assertTrue(ranked.get(0).excessInterval().contains(300));
    }
}
