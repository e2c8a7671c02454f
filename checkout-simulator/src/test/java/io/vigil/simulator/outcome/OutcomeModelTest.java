package io.vigil.simulator.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.math3.analysis.integration.SimpsonIntegrator;
import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.scoring.v1.Decision;

/**
 * The generated outcomes against the configured rates: each observed frequency must lie in its exact (Clopper-Pearson)
 * 99.9% interval, with fixed seeds, so the test is deterministic; expected values are products of the documented
 * parameters worked out by hand in each assertion.
 */
class OutcomeModelTest {

    static final int N = 100_000;
    static final Instant T0 = Instant.parse("2026-01-05T12:00:00Z");
    final OutcomeModel model = new OutcomeModel(OutcomeRates.defaults());

    /** How often each kind occurs over N payments with this decision, truth, channel and breakage. */
    Map<OutcomeKind, Integer> counts(Decision decision, boolean fraud, String channel, double breakage, long seed) {
        Map<OutcomeKind, Integer> counts = new EnumMap<>(OutcomeKind.class);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < N; i++) {
            for (PlannedOutcome o : model.plan(T0, decision, fraud, channel, breakage, seeds.split())) {
                counts.merge(o.kind(), 1, Integer::sum);
            }
        }
        return counts;
    }

    static void assertRate(double expected, Map<OutcomeKind, Integer> counts, OutcomeKind kind) {
        int x = counts.getOrDefault(kind, 0);
        ConfidenceInterval ci = new ClopperPearsonInterval().createInterval(N, x, 0.999);
        assertTrue(ci.getLowerBound() <= expected && expected <= ci.getUpperBound(),
                kind + ": expected rate " + expected + ", observed " + x + "/" + N + " (99.9% CI ["
                        + ci.getLowerBound() + ", " + ci.getUpperBound() + "])");
    }

    @Test
    void shouldFollowTheApprovePathRatesForGenuinePayments() {
        Map<OutcomeKind, Integer> c = counts(Decision.DECISION_APPROVE, false, "web", 0, 1);
        assertRate(0.97, c, OutcomeKind.OUTCOME_KIND_AUTHORIZED);
        assertRate(0.03, c, OutcomeKind.OUTCOME_KIND_AUTH_DECLINED);
        assertRate(0.97 * 0.985, c, OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED);
        assertRate(0.97 * 0.015, c, OutcomeKind.OUTCOME_KIND_ORDER_ABANDONED);
        assertRate(0.97 * 0.985 * 0.002, c, OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD);
        assertEquals(0, c.getOrDefault(OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED, 0), "only victims report fraud");
    }

    @Test
    void shouldChargeBackAndReportApprovedFraud() {
        Map<OutcomeKind, Integer> c = counts(Decision.DECISION_APPROVE, true, "app", 0, 2);
        assertRate(0.12, c, OutcomeKind.OUTCOME_KIND_AUTH_DECLINED);
        assertRate(0.88 * 0.985, c, OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED);
        assertRate(0.88 * 0.985 * 0.88, c, OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD);
        assertRate(0.88 * 0.985 * 0.25, c, OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED);
    }

    @Test
    void shouldLetStepUpAbandonmentDependOnTheChannelAndFraudstersFail() {
        Map<OutcomeKind, Integer> web = counts(Decision.DECISION_STEP_UP, false, "web", 0, 3);
        assertRate(0.07, web, OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED);
        assertRate(0.02, web, OutcomeKind.OUTCOME_KIND_STEP_UP_FAILED);
        assertRate(0.91, web, OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED);
        // A pass leads on to the approve path: authorized 0.91 x 0.97.
        assertRate(0.91 * 0.97, web, OutcomeKind.OUTCOME_KIND_AUTHORIZED);

        Map<OutcomeKind, Integer> app = counts(Decision.DECISION_STEP_UP, false, "app", 0, 4);
        assertRate(0.05, app, OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED);

        Map<OutcomeKind, Integer> voice = counts(Decision.DECISION_STEP_UP, false, "voice", 0, 5);
        assertRate(0.97, voice, OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED);

        Map<OutcomeKind, Integer> fraud = counts(Decision.DECISION_STEP_UP, true, "web", 0, 6);
        assertRate(0.08, fraud, OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED);
        assertRate(0.37, fraud, OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED);
        assertRate(0.55, fraud, OutcomeKind.OUTCOME_KIND_STEP_UP_FAILED);
    }

    @Test
    void shouldBreakVoiceStepUpAsSeed002Did() {
        // 0.97 x (1 - 0.113) = 0.86011: the funnel-drop scenario's 97% -> 86%.
        Map<OutcomeKind, Integer> voice = counts(Decision.DECISION_STEP_UP, false, "voice", 0.113, 7);
        assertRate(0.97 * (1 - 0.113), voice, OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED);
        assertRate(0.01, voice, OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED);
    }

    @Test
    void shouldReviewAndDeclineAsConfigured() {
        Map<OutcomeKind, Integer> fraud = counts(Decision.DECISION_REVIEW, true, "web", 0, 8);
        assertRate(0.85, fraud, OutcomeKind.OUTCOME_KIND_REVIEW_REJECTED);
        assertRate(0.15 * 0.88, fraud, OutcomeKind.OUTCOME_KIND_AUTHORIZED);
        Map<OutcomeKind, Integer> genuine = counts(Decision.DECISION_REVIEW, false, "web", 0, 9);
        assertRate(0.06, genuine, OutcomeKind.OUTCOME_KIND_REVIEW_REJECTED);
        assertTrue(counts(Decision.DECISION_DECLINE, true, "web", 0, 10).isEmpty(), "a decline ends the payment");
    }

    @Test
    void shouldPlanEachPaymentsOutcomesInEventTimeOrder() {
        SplittableRandom seeds = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            List<PlannedOutcome> plan = model.plan(T0, Decision.values()[1 + i % 4], i % 3 == 0, "web", 0,
                    seeds.split());
            for (int k = 1; k < plan.size(); k++) {
                assertTrue(!plan.get(k).at().isBefore(plan.get(k - 1).at()), plan.toString());
            }
            for (PlannedOutcome o : plan) {
                assertTrue(o.at().isAfter(T0), "every outcome follows the payment");
            }
        }
    }

    /** The configured chargeback delay: log-normal (median 42 d, sigma 0.35) truncated to [5, 120] days. */
    static final class TruncatedLogNormal extends AbstractRealDistribution {
        final LogNormalDistribution base = new LogNormalDistribution(null, Math.log(42), 0.35);
        final double lo = 5;
        final double hi = 120;
        final double mass = base.cumulativeProbability(hi) - base.cumulativeProbability(lo);

        TruncatedLogNormal() {
            super(null);
        }

        @Override
        public double density(double x) {
            return x < lo || x > hi ? 0 : base.density(x) / mass;
        }

        @Override
        public double cumulativeProbability(double x) {
            return x <= lo ? 0 : x >= hi ? 1 : (base.cumulativeProbability(x) - base.cumulativeProbability(lo)) / mass;
        }

        /** The truncated moments have no closed form used here: integrated numerically over the support. */
        @Override
        public double getNumericalMean() {
            return moment(1);
        }

        @Override
        public double getNumericalVariance() {
            double mean = moment(1);
            return moment(2) - mean * mean;
        }

        private double moment(int k) {
            return new SimpsonIntegrator().integrate(1_000_000, x -> Math.pow(x, k) * density(x), lo, hi);
        }

        @Override
        public double getSupportLowerBound() {
            return lo;
        }

        @Override
        public double getSupportUpperBound() {
            return hi;
        }

        @Override
        public boolean isSupportLowerBoundInclusive() {
            return true;
        }

        @Override
        public boolean isSupportUpperBoundInclusive() {
            return true;
        }

        @Override
        public boolean isSupportConnected() {
            return true;
        }
    }

    @Test
    void shouldDrawChargebackDelaysFromTheConfiguredDistribution() {
        SplittableRandom rnd = new SplittableRandom(12);
        double[] days = new double[5_000];
        int within30to60 = 0;
        for (int i = 0; i < days.length; i++) {
            days[i] = model.chargebackDelayDays(rnd);
            within30to60 += days[i] >= 30 && days[i] <= 60 ? 1 : 0;
        }
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double p = ks.kolmogorovSmirnovTest(new TruncatedLogNormal(), days);
        assertTrue(p > 0.001, "KS p-value " + p + " against the configured distribution");
        // The test can tell: a median of 30 days instead of 42 is rejected outright.
        double wrong = ks.kolmogorovSmirnovTest(new LogNormalDistribution(null, Math.log(30), 0.35), days);
        assertTrue(wrong < 1e-9, "KS p-value " + wrong + " against a 30-day median");
        // "Most within 30-60 days": P = Phi(ln(60/42)/0.35) - Phi(ln(30/42)/0.35) = 0.8469 - 0.1682 = 0.679 (on
        // the untruncated law; truncation adds < 0.2%).
        assertEquals(0.679, within30to60 / (double) days.length, 0.025);
        for (double d : days) {
            assertTrue(d >= 5 && d <= 120, "delay " + d + " outside [5, 120]");
        }
    }
}
