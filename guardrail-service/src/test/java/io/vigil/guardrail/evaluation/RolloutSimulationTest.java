package io.vigil.guardrail.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.junit.jupiter.api.Test;

import io.vigil.guardrail.statistics.DifferenceConfidenceSequence;
import io.vigil.guardrail.statistics.ErrorBudget;

/**
 * Whole rollouts simulated minute by minute of event time with fixed seeds: the evaluator and the step rules
 * together, as the service will run them on aggregated buckets.
 */
class RolloutSimulationTest {

    /** Seven guardrails, as a model rollout would have them; rates from seed 001 where it gives them. */
    static final List<Guardrail> GUARDRAILS = List.of(
            new Guardrail("conversion", GuardrailMetric.CONVERSION, "", 0.005, GuardrailAction.ROLLBACK, 2_000),
            new Guardrail("approval", GuardrailMetric.APPROVAL_RATE, "", 0.005, GuardrailAction.ROLLBACK, 2_000),
            new Guardrail("decline", GuardrailMetric.DECLINE_RATE, "", 0.005, GuardrailAction.ROLLBACK, 2_000),
            new Guardrail("step-up", GuardrailMetric.STEP_UP_RATE, "", 0.01, GuardrailAction.ROLLBACK, 2_000),
            new Guardrail("review", GuardrailMetric.REVIEW_RATE, "", 0.005, GuardrailAction.ALERT, 2_000),
            new Guardrail("fallback", GuardrailMetric.FALLBACK_RATE, "", 0.002, GuardrailAction.ROLLBACK, 2_000),
            new Guardrail("chargebacks", GuardrailMetric.CHARGEBACK_RATE, "", 0.002, GuardrailAction.ROLLBACK,
                    2_000));
    /** Control rates of the seven metrics, in the order above. */
    static final double[] CONTROL = {0.710, 0.850, 0.030, 0.080, 0.020, 0.010, 0.004};

    @Test
    void aaRolloutsRollBackFalselyInAtMostAlphaOfRuns() {
        // 500 A/A rollouts at a 50% step, 100 decisions a minute for 24 simulated hours, every guardrail evaluated
        // every minute. A rollout falsely rolls back if any ROLLBACK guardrail is judged HARMFUL at any minute.
        double alpha = 0.05;
        SplittableRandom rnd = new SplittableRandom(500);
        int runs = 500;
        int falseRollbacks = 0;
        for (int run = 0; run < runs; run++) {
            Outcome o = simulate(rnd, alpha, new double[][] {{0.5, 24 * 60}}, 100, CONTROL, CONTROL);
            falseRollbacks += o.rollbackMinute >= 0 ? 1 : 0;
        }
        // Clopper-Pearson; with no false rollback at all its upper end is 1 - 0.025^(1/n) (commons-math refuses x = 0).
        double upper = falseRollbacks == 0 ? 1 - Math.pow(0.025, 1.0 / runs)
                : new ClopperPearsonInterval().createInterval(runs, falseRollbacks, 0.95).getUpperBound();
        System.out.printf("A/A: %d false rollbacks in %d runs = %.4f (95%% CI upper end %.4f), alpha %.2f%n",
                falseRollbacks, runs, (double) falseRollbacks / runs, upper, alpha);
        assertTrue(falseRollbacks <= alpha * runs, falseRollbacks + " false rollbacks in " + runs);
    }

    @Test
    void seedOnesChallengerIsRolledBackAtTheFiftyPercentStep() {
        // Seed 001: 10% for an hour, then 50%; the challenger's conversion is 69.6% against 71.0%, the rest equal.
        // ~1,250 decisions a minute (1.8 M orders a day). The rollback must come, and from the conversion guardrail.
        SplittableRandom rnd = new SplittableRandom(1);
        double[] challenger = CONTROL.clone();
        challenger[0] = 0.696;
        List<Integer> minutes = new ArrayList<>();
        for (int run = 0; run < 20; run++) {
            Outcome o = simulate(rnd, 0.05, new double[][] {{0.10, 60}, {0.50, 24 * 60}}, 1_250, challenger, CONTROL);
            assertTrue(o.rollbackMinute >= 0, "run " + run + " never rolled back");
            assertEquals(StepVerdict.Kind.ROLLBACK, o.verdict.kind());
            assertTrue(o.verdict.reason().startsWith("breached: conversion"), o.verdict.reason());
            minutes.add(o.rollbackMinute);
        }
        minutes.sort(null);
        System.out.printf("seed 001: rolled back after %d min (median), %d-%d min (range), step 2 starts at 60%n",
                minutes.get(minutes.size() / 2), minutes.get(0), minutes.get(minutes.size() - 1));
    }

    @Test
    void aCanaryThatErrorsAgainstAFlatZeroBaselineIsRolledBack() {
        // Kayenta #426: the baseline's error metric is all zeros, the canary errors on 5% of calls. A rank test on
        // mostly-zero series passes it; here the fallback-rate guardrail must breach, whatever else is equal.
        double[] control = CONTROL.clone();
        control[5] = 0.0;
        double[] canary = control.clone();
        canary[5] = 0.05;
        Outcome o = simulate(new SplittableRandom(426), 0.05, new double[][] {{0.10, 120}}, 200, canary, control);
        assertEquals(StepVerdict.Kind.ROLLBACK, o.verdict.kind());
        assertTrue(o.verdict.reason().startsWith("breached: fallback"), o.verdict.reason());
    }

    @Test
    void aCohortWithNoTrafficHoldsAndSaysWhatIsMissing() {
        GuardrailEvaluator evaluator = new GuardrailEvaluator(100_000, 0.05 / 7, 100);
        Guardrail caYoung = new Guardrail("conversion CA 18-24", GuardrailMetric.CONVERSION,
                "country=CA & age=18-24", 0.005, GuardrailAction.ROLLBACK, 1_000);
        GuardrailAssessment e = evaluator.evaluate(caYoung,
                new GuardrailData.Rates(DifferenceConfidenceSequence.State.EMPTY), 0.05 / 7);
        StepVerdict v = StepEvaluator.evaluate(true, null, List.of(e));
        assertEquals(StepVerdict.Kind.HOLD, v.kind());
        assertEquals("insufficient evidence: conversion CA 18-24 (exposure 0 (treatment) and 0 (control) of the 1000 "
                + "per arm needed)", v.reason());
        assertNotEquals(StepVerdict.Kind.PROMOTE_STEP, StepEvaluator.evaluate(true, null, List.of(e)).kind());
    }

    @Test
    void equalArmsPromoteOnceExposureAndDurationAreThere() {
        // Showing that conversion is within 0.5 pp takes far more traffic than showing a 1.4 pp drop: at seed 001's
        // volume and a 50% split, a day is enough.
        Outcome o = simulate(new SplittableRandom(9), 0.05, new double[][] {{0.5, 24 * 60}}, 1_250, CONTROL, CONTROL);
        assertEquals(-1, o.rollbackMinute);
        assertTrue(o.promoteMinute > 0, "never promoted: " + o.verdict.reason());
        System.out.printf("A/A at 1,250 decisions a minute, 50%%: promotable after %d min%n", o.promoteMinute);
    }

    @Test
    void aSplitMismatchHoldsEvenWhenEveryGuardrailPasses() {
        GuardrailEvaluator evaluator = new GuardrailEvaluator(100_000, 0.05, 100);
        // A day of minute buckets (small buckets let the plug-ins settle, which is what keeps the sequence tight).
        DifferenceConfidenceSequence.State s = DifferenceConfidenceSequence.State.EMPTY;
        for (int minute = 0; minute < 1_440; minute++) {
            s = DifferenceConfidenceSequence.add(s,
                    DifferenceConfidenceSequence.Bucket.ofRates(0.5, 1_000, 710, 1_000, 710));
        }
        GuardrailAssessment e = evaluator.evaluate(GUARDRAILS.get(0), new GuardrailData.Rates(s), 0.05);
        assertTrue(e.passed());
        StepVerdict v = StepEvaluator.evaluate(true, "observed 52.0% on the challenger against 50% configured",
                List.of(e));
        assertEquals(StepVerdict.Kind.HOLD, v.kind());
        assertEquals("sample ratio mismatch: observed 52.0% on the challenger against 50% configured", v.reason());
    }

    record Outcome(int rollbackMinute, int promoteMinute, StepVerdict verdict) {
    }

    /**
     * Runs steps {share, minutes} with {@code perMinute} decisions a minute; each decision goes to treatment with the
     * step's share and draws each metric's 0/1 outcome with its arm's rate. Stops at the first ROLLBACK.
     */
    static Outcome simulate(SplittableRandom rnd, double alpha, double[][] steps, int perMinute, double[] treatment,
            double[] control) {
        ErrorBudget budget = new ErrorBudget(alpha, GUARDRAILS.size());
        GuardrailEvaluator evaluator = new GuardrailEvaluator(200_000, budget.perGuardrail(), 100);
        int g = GUARDRAILS.size();
        DifferenceConfidenceSequence.State[] states = new DifferenceConfidenceSequence.State[g];
        java.util.Arrays.fill(states, DifferenceConfidenceSequence.State.EMPTY);
        long[] rare = new long[4];
        int minute = 0;
        int promoted = -1;
        StepVerdict last = null;
        for (double[] step : steps) {
            double share = step[0];
            for (int m = 0; m < step[1]; m++, minute++) {
                long nt = 0;
                long nc = 0;
                long[] et = new long[g];
                long[] ec = new long[g];
                for (int i = 0; i < perMinute; i++) {
                    boolean t = rnd.nextDouble() < share;
                    double[] rates = t ? treatment : control;
                    if (t) {
                        nt++;
                    } else {
                        nc++;
                    }
                    for (int k = 0; k < g; k++) {
                        if (rnd.nextDouble() < rates[k]) {
                            if (t) {
                                et[k]++;
                            } else {
                                ec[k]++;
                            }
                        }
                    }
                }
                List<GuardrailAssessment> evidence = new ArrayList<>(g);
                for (int k = 0; k < g; k++) {
                    Guardrail gr = GUARDRAILS.get(k);
                    GuardrailData data;
                    if (gr.metric().statistic() == GuardrailMetric.Statistic.PER_ARM_RATE) {
                        rare[0] += nt;
                        rare[1] += et[k];
                        rare[2] += nc;
                        rare[3] += ec[k];
                        data = new GuardrailData.ArmRates(rare[0], rare[1], rare[2], rare[3]);
                    } else {
                        states[k] = DifferenceConfidenceSequence.add(states[k],
                                DifferenceConfidenceSequence.Bucket.ofRates(share, nt, et[k], nc, ec[k]));
                        data = new GuardrailData.Rates(states[k]);
                    }
                    evidence.add(evaluator.evaluate(gr, data, budget.perGuardrail()));
                }
                last = StepEvaluator.evaluate(minute >= 30, null, evidence);
                if (last.kind() == StepVerdict.Kind.ROLLBACK) {
                    return new Outcome(minute, promoted, last);
                }
                if (last.kind() == StepVerdict.Kind.PROMOTE_STEP && promoted < 0) {
                    promoted = minute;
                }
            }
        }
        return new Outcome(-1, promoted, last);
    }
}
