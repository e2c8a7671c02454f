package io.vigil.guardrail.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.vigil.guardrail.evaluation.GuardrailAssessment.Projection;
import io.vigil.guardrail.statistics.ArmComparison.Judgement;

/**
 * Guardrails judged against a limit of their own: the review queue's capacity and the step-up budget (events per
 * period at the current share, the next step's and all traffic) and a ceiling on the treatment's chargeback rate
 * (projected to what its payments reach once their chargebacks are in). Expected bounds are the beta-binomial mixture
 * sequence's, computed independently (scipy: betaln and brentq on {p : M_t(p) < 1/alpha}, uniform prior); the loads
 * are worked by hand from them.
 */
class LimitGuardrailsTest {

    static final GuardrailEvaluator EVALUATOR = new GuardrailEvaluator(100_000, 0.05, 100);
    static final long TEN_HOURS = Duration.ofHours(10).toMillis();

    // Treatment 600 reviews in 10,000 decisions (6%), control 1,800 in 90,000 (2%), over 10 hours: 10,000 decisions
    // an hour. At alpha 0.05, each arm at 0.025: treatment [0.0505440, 0.0704892], control [0.0179413, 0.0222071].
    // Load per hour at share s = 10,000 (s p_T + (1 - s) p_C):
    //   10%: 240, bounds 10,000 (0.1 x 0.0505440 + 0.9 x 0.0179413) = 212.016 and 270.354
    //   50%: 400, bounds 342.426 and 463.482
    //   100%: 600, bounds 505.440 and 704.892
    static final GuardrailData.Load REVIEWS = new GuardrailData.Load(
            new GuardrailData.ArmRates(10_000, 600, 90_000, 1_800), TEN_HOURS, 0.10, 0.50);

    static Guardrail reviewQueue(double capacity) {
        return Guardrail.capacity("review queue", GuardrailMetric.REVIEW_QUEUE_LOAD, "", capacity,
                Duration.ofHours(1), GuardrailAction.ROLLBACK, 2_000);
    }

    @Test
    void reviewLoadSurelyOverCapacityAtTheCurrentShareIsABreach() {
        GuardrailAssessment a = EVALUATOR.evaluate(reviewQueue(200), REVIEWS, 0.05);
        assertEquals(Judgement.HARMFUL, a.judgement());
        List<Projection> p = a.limitCheck().projections();
        assertEquals(3, p.size());
        assertProjection(p.get(0), 0.10, 240, 212.0157148, 270.3535256);
        assertProjection(p.get(1), 0.50, 400, 342.4263437, 463.4819046);
        assertProjection(p.get(2), 1.00, 600, 505.4396297, 704.8923784);
        assertEquals(10_000, a.limitCheck().decisionsPerPeriod(), 1e-9);
        assertEquals(200, a.limitCheck().limit());
        assertEquals(3_600_000, a.limitCheck().periodMillis());
        // The harm: the current load's excess over capacity per decision, (212.016 - 200) / 10,000 at least.
        assertEquals(0.00120157148, a.harm().lower(), 1e-9);
        assertEquals(0.004, a.estimate(), 1e-12);
        StepVerdict v = StepEvaluator.evaluate(true, null, List.of(a));
        assertEquals(StepVerdict.Kind.ROLLBACK, v.kind());
    }

    @Test
    void theNextStepSurelyOverCapacityHoldsTheRampAndNamesIt() {
        GuardrailAssessment a = EVALUATOR.evaluate(reviewQueue(300), REVIEWS, 0.05);
        assertEquals(Judgement.INCONCLUSIVE, a.judgement());
        assertEquals("promotion to 50% would overload the review queue: 400 [342, 463] reviews per 1h against 300",
                a.blocksPromotion());
        for (boolean durationOver : new boolean[] {false, true}) {
            StepVerdict v = StepEvaluator.evaluate(durationOver, null, List.of(a));
            assertEquals(StepVerdict.Kind.HOLD, v.kind());
            assertEquals("promotion would exceed a limit: review queue (promotion to 50% would overload the review "
                    + "queue: 400 [342, 463] reviews per 1h against 300)", v.reason());
        }
    }

    @Test
    void aNextStepThatMayExceedCapacityIsInconclusiveAndOneSurelyWithinItPasses() {
        GuardrailAssessment open = EVALUATOR.evaluate(reviewQueue(400), REVIEWS, 0.05);
        assertEquals(Judgement.INCONCLUSIVE, open.judgement());
        assertNull(open.blocksPromotion());
        assertEquals("reviews at 50% may reach 463 per 1h (bounds [342, 463]) against 400", open.missing());
        assertEquals(StepVerdict.Kind.HOLD, StepEvaluator.evaluate(true, null, List.of(open)).kind());

        GuardrailAssessment pass = EVALUATOR.evaluate(reviewQueue(500), REVIEWS, 0.05);
        assertEquals(Judgement.NON_INFERIOR, pass.judgement());
        assertEquals(StepVerdict.Kind.PROMOTE_STEP, StepEvaluator.evaluate(true, null, List.of(pass)).kind());
    }

    @Test
    void aPassNeedsTheMinimumExposure() {
        GuardrailData.Load few = new GuardrailData.Load(new GuardrailData.ArmRates(100, 6, 900, 18),
                Duration.ofMinutes(6).toMillis(), 0.10, 0.50);
        GuardrailAssessment a = EVALUATOR.evaluate(reviewQueue(1_000_000), few, 0.05);
        assertEquals(Judgement.INCONCLUSIVE, a.judgement());
        assertEquals("exposure 100 (treatment) and 900 (control) of the 2000 per arm needed", a.missing());
    }

    @Test
    void aChallengerThatStepsUpLessPassesTheBudgetOnItsLastStep() {
        // Treatment 300 step-ups in 10,000 (3%), control 900 in 10,000 (9%), 20,000 decisions in 10 hours: 2,000 an
        // hour. At 50% now: 120 an hour, bounds [101.854, 140.233]; the last step completes (all traffic): 60, bounds
        // [46.539, 75.750]. Against a budget of 110 an hour: now unsure, after promotion surely within: pass.
        GuardrailData.Load d = new GuardrailData.Load(new GuardrailData.ArmRates(10_000, 300, 10_000, 900),
                TEN_HOURS, 0.5, 1.0);
        Guardrail g = Guardrail.capacity("step-ups", GuardrailMetric.STEP_UP_BUDGET, "", 110, Duration.ofHours(1),
                GuardrailAction.ALERT, 2_000);
        GuardrailAssessment a = EVALUATOR.evaluate(g, d, 0.05);
        List<Projection> p = a.limitCheck().projections();
        assertEquals(2, p.size());
        assertProjection(p.get(0), 0.5, 120, 101.8543714, 140.2327720);
        assertProjection(p.get(1), 1.0, 60, 46.5391044, 75.7501826);
        assertEquals(Judgement.NON_INFERIOR, a.judgement());
    }

    // Ceiling 0.9% on the treatment's chargebacks: 20,000 approvals, half of their chargebacks expected in by now
    // (10,000 labels expected). The sequence at alpha 0.05 on the chargebacks seen, divided by 0.5:
    //   150 seen: estimate 1.5%, [1.0292%, 2.0951%]: surely above 0.9%
    //    80 seen: estimate 0.8%, [0.4670%, 1.2621%]: cannot tell yet
    //    30 seen: estimate 0.3%, [0.1150%, 0.6206%]: surely below
    static GuardrailData.DelayedLabels chargebacks(long seen) {
        GuardrailData.ArmRates all = new GuardrailData.ArmRates(20_000, seen, 20_000, 40);
        return new GuardrailData.DelayedLabels(new GuardrailData.ArmRates(0, 0, 0, 0), 0, all, 10_000, 10_000, 0.9);
    }

    static final Guardrail CEILING = Guardrail.ceiling("chargebacks", GuardrailMetric.CHARGEBACK_RATE, "", 0.009,
            GuardrailAction.ROLLBACK, 5_000);

    @Test
    void theTreatmentsProjectedChargebackRateIsJudgedAgainstTheCeiling() {
        GuardrailAssessment over = EVALUATOR.evaluate(CEILING, chargebacks(150), 0.05);
        assertEquals(Judgement.HARMFUL, over.judgement());
        assertProjection(over.limitCheck().current(), 1, 0.015, 0.010292003825, 0.020950743938);
        assertEquals(0.015 - 0.009, over.estimate(), 1e-12);
        assertEquals(0.010292003825 - 0.009, over.harm().lower(), 1e-9);
        assertEquals(0.5, over.labelMaturity(), 1e-12);

        GuardrailAssessment open = EVALUATOR.evaluate(CEILING, chargebacks(80), 0.05);
        assertEquals(Judgement.INCONCLUSIVE, open.judgement());
        assertProjection(open.limitCheck().current(), 1, 0.008, 0.004670016775, 0.012621065923);
        assertEquals("chargebacks: 50.0% of the treatment's expected so far; its rate projected 0.8% in [0.467%, "
                + "1.262%] against the ceiling 0.9%", open.missing());
        StepVerdict hold = StepEvaluator.evaluate(true, null, List.of(open));
        assertEquals(StepVerdict.Kind.HOLD, hold.kind());
        assertTrue(hold.reason().startsWith("insufficient evidence: chargebacks (chargebacks: 50.0%"), hold.reason());

        GuardrailAssessment under = EVALUATOR.evaluate(CEILING, chargebacks(30), 0.05);
        assertEquals(Judgement.NON_INFERIOR, under.judgement());
        assertProjection(under.limitCheck().current(), 1, 0.003, 0.001149774438, 0.006205820828);
    }

    @Test
    void noChargebackLabelsExpectedYetCannotPass() {
        GuardrailData.ArmRates all = new GuardrailData.ArmRates(20_000, 0, 20_000, 0);
        GuardrailAssessment a = EVALUATOR.evaluate(CEILING,
                new GuardrailData.DelayedLabels(new GuardrailData.ArmRates(0, 0, 0, 0), 0, all, 0, 0, 0.9), 0.05);
        assertEquals(Judgement.INCONCLUSIVE, a.judgement());
        assertEquals(1, a.limitCheck().current().upper());
    }

    /**
     * Fixed-seed simulation of a ceiling judged every day for 120 days: 1,000 approvals a day, each charged back
     * with the true rate, its chargeback arriving after a delay drawn from the default label-delay distribution (the
     * one the projection assumes). With the true rate exactly at the ceiling (0.6%), at most alpha of the runs may
     * ever breach; a rate of twice the ceiling must be caught; half of it must pass.
     */
    @Test
    void aRateAtTheCeilingIsFalselyBreachedInAtMostAlphaOfTheRuns() {
        LabelMaturity labels = LabelMaturity.parse("P1D=0.2,P7D=0.5,P30D=0.8,P60D=0.93,P90D=0.98,P120D=1", 0.9);
        Guardrail g = Guardrail.ceiling("chargebacks", GuardrailMetric.CHARGEBACK_RATE, "", 0.006,
                GuardrailAction.ROLLBACK, 1_000);
        int runs = 400;
        int falseBreaches = 0;
        for (int r = 0; r < runs; r++) {
            falseBreaches += firstDay(new SplittableRandom(r), labels, g, 0.006, Judgement.HARMFUL) > 0 ? 1 : 0;
        }
        int[] caught = new int[40];
        int[] passed = new int[40];
        for (int r = 0; r < 40; r++) {
            caught[r] = firstDay(new SplittableRandom(10_000 + r), labels, g, 0.012, Judgement.HARMFUL);
            passed[r] = firstDay(new SplittableRandom(20_000 + r), labels, g, 0.003, Judgement.NON_INFERIOR);
        }
        Arrays.sort(caught);
        Arrays.sort(passed);
        System.out.printf("ceiling 0.6%%: %d of %d runs at the ceiling falsely breached; 1.2%% caught on day %d "
                + "(median, range %d-%d); 0.3%% passed on day %d (median, range %d-%d)%n", falseBreaches, runs,
                caught[20], caught[0], caught[39], passed[20], passed[0], passed[39]);
        assertTrue(falseBreaches <= 0.05 * runs, falseBreaches + " false breaches in " + runs);
        assertTrue(caught[0] > 0, "a rate twice the ceiling was not caught in every run");
        assertTrue(passed[0] > 0, "a rate half the ceiling did not pass in every run");
    }

    /** The first day (1-120) the guardrail reaches {@code judgement}, or 0 if it never does. */
    private static int firstDay(SplittableRandom rnd, LabelMaturity labels, Guardrail g, double rate,
            Judgement judgement) {
        int perDay = 1_000;
        int days = 120;
        long day = Duration.ofDays(1).toMillis();
        // Chargebacks by the day they arrive (a delay of 0-120 days, by inverting the piecewise-linear distribution).
        long[] arriving = new long[days + 122];
        for (int d = 1; d <= days; d++) {
            // Vintage d - 1: its approvals at the start of day d - 1, judged at the end of each day from d on.
            for (int i = 0; i < perDay; i++) {
                if (rnd.nextDouble() < rate) {
                    double delayDays = delay(labels, rnd.nextDouble());
                    arriving[(int) Math.ceil(d - 1 + delayDays)]++;
                }
            }
            long seen = 0;
            for (int t = 0; t <= d; t++) {
                seen += arriving[t];
            }
            double expected = 0;
            for (int v = 0; v < d; v++) {
                expected += perDay * labels.expectedShare((d - v) * day);
            }
            long n = (long) perDay * d;
            GuardrailData.ArmRates all = new GuardrailData.ArmRates(n, seen, n, 0);
            GuardrailAssessment a = EVALUATOR.evaluate(g, new GuardrailData.DelayedLabels(
                    new GuardrailData.ArmRates(0, 0, 0, 0), 0, all, expected, expected, 0.9), 0.05);
            if (a.judgement() == judgement) {
                return d;
            }
            if (a.judgement() == Judgement.HARMFUL) {
                return 0;
            }
        }
        return 0;
    }

    /** The age (days) at which the distribution's expected share reaches u: its inverse, by bisection. */
    private static double delay(LabelMaturity labels, double u) {
        double lo = 0;
        double hi = 120;
        long day = Duration.ofDays(1).toMillis();
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (labels.expectedShare((long) (mid * day)) < u) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    private static void assertProjection(Projection p, double share, double estimate, double lower, double upper) {
        double scale = Math.max(1, Math.abs(upper));
        assertEquals(share, p.share(), 1e-12);
        assertEquals(estimate, p.estimate(), 1e-9 * scale);
        assertEquals(lower, p.lower(), 1e-6 * scale);
        assertEquals(upper, p.upper(), 1e-6 * scale);
    }
}
