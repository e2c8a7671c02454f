package io.vigil.riskmodel.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.catalog.PaymentFeature;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PopulationGeneratorTest {

    private static final int ROWS = 300_000;
    private static PaymentBatch baseline;

    @BeforeAll
    static void generate() {
        baseline = new PopulationGenerator(PopulationConfig.baseline(42)).generate(0, ROWS);
    }

    @Test
    void shouldHaveARealisticFeatureCount() {
        assertTrue(PaymentBatch.WIDTH >= 25 && PaymentBatch.WIDTH <= 35, "features: " + PaymentBatch.WIDTH);
    }

    @Test
    void shouldGiveTheSameRowsWhateverTheBlocking() {
        PopulationGenerator g = new PopulationGenerator(PopulationConfig.baseline(42));
        PaymentBatch slice = g.generate(1_000, 10);
        float[] a = new float[PaymentBatch.WIDTH];
        float[] b = new float[PaymentBatch.WIDTH];
        for (int i = 0; i < 10; i++) {
            slice.copyFeatures(i, a);
            baseline.copyFeatures(1_000 + i, b);
            assertEquals(java.util.Arrays.toString(b), java.util.Arrays.toString(a));
            assertEquals(baseline.fraud(1_000 + i), slice.fraud(i));
            assertEquals(baseline.eventTime(1_000 + i), slice.eventTime(i));
        }
        PaymentBatch otherSeed = new PopulationGenerator(PopulationConfig.baseline(43)).generate(1_000, 1);
        otherSeed.copyFeatures(0, b);
        slice.copyFeatures(0, a);
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void shouldHaveDocumentedFraudRates() {
        double all = rate(baseline, Cohort.parse("country=US"), true);
        assertEquals(0.0126, rate(baseline, new Cohort(List.of()), false), 0.0012);
        assertEquals(0.020, rate(baseline, Cohort.parse("country=CA,customer_age_band=18-24"), false), 0.004);
        assertTrue(all > 0.0);
    }

    @Test
    void shouldMatchLabelsToTrueProbabilities() {
        double expected = 0;
        int observed = 0;
        for (int i = 0; i < ROWS; i++) {
            expected += baseline.fraudProbability(i);
            observed += baseline.fraud(i) ? 1 : 0;
        }
        // Binomial: sd = sqrt(n p (1-p)) ~ 61 frauds; allow 4 sd.
        assertEquals(expected, observed, 4 * Math.sqrt(expected));
    }

    @Test
    void shouldRaiseTheCohortFraudRateByTheMultiplier() {
        CohortRiskShift shift = CohortRiskShift.parse("country=CA,customer_age_band=18-24:1.55");
        PaymentBatch shifted = new PopulationGenerator(PopulationConfig.baseline(42).withRiskShift(shift))
                .generate(0, ROWS);
        Cohort cohort = shift.cohort();
        double capped = 0;
        double shiftedSum = 0;
        for (int i = 0; i < ROWS; i++) {
            if (cohort.matches(baseline.features(), i * PaymentBatch.WIDTH)) {
                capped += Math.min(1.0, 1.55 * baseline.fraudProbability(i));
                shiftedSum += shifted.fraudProbability(i);
            }
        }
        assertEquals(capped, shiftedSum, 1e-9, "each true probability scales by 1.55, capped at 1");
        double before = rate(baseline, cohort, false);
        double after = rate(shifted, cohort, false);
        assertEquals(0.031, after, 0.006, "realised cohort fraud rate goes from ~2.0% to ~3.1%: was " + before);
        assertEquals(rate(baseline, Cohort.parse("country=US"), true), rate(shifted, Cohort.parse("country=US"), true),
                1e-12, "other cohorts are untouched");
    }

    @Test
    void shouldDefaultTheFieldOnlyInTheSegmentAndKeepTheTruth() {
        DefaultedField field = DefaultedField.parse("account_age_days=0@login_method=social");
        PaymentBatch defaulted = new PopulationGenerator(PopulationConfig.baseline(42).withDefaultedField(field))
                .generate(0, 20_000);
        int social = 0;
        int passwordKept = 0;
        for (int i = 0; i < defaulted.size(); i++) {
            assertEquals(baseline.fraudProbability(i), defaulted.fraudProbability(i), 0.0);
            if (defaulted.feature(i, PaymentFeature.LOGIN_METHOD) == 1f) {
                social++;
                assertEquals(0f, defaulted.feature(i, PaymentFeature.ACCOUNT_AGE_DAYS));
            } else if (Float.compare(defaulted.feature(i, PaymentFeature.ACCOUNT_AGE_DAYS),
                    baseline.feature(i, PaymentFeature.ACCOUNT_AGE_DAYS)) == 0) {
                passwordKept++;
            }
        }
        assertTrue(social > 4_000);
        assertEquals(20_000 - social, passwordKept);
    }

    @Test
    void shouldProduceLabelsTheWayProductionSeesThem() {
        int frauds = 0;
        int fraudChargebacks = 0;
        int fraudPassedStepUp = 0;
        int genuine = 0;
        int genuinePassedStepUp = 0;
        for (int i = 0; i < ROWS; i++) {
            float delay = baseline.chargebackDelayDays(i);
            assertEquals(baseline.chargeback(i), !Float.isNaN(delay));
            if (baseline.chargeback(i)) {
                assertTrue(delay >= 2 && delay <= 120, "delay " + delay);
            }
            if (baseline.fraud(i)) {
                frauds++;
                fraudChargebacks += baseline.chargeback(i) ? 1 : 0;
                fraudPassedStepUp += baseline.stepUpOutcome(i) == StepUpOutcome.PASSED ? 1 : 0;
            } else {
                genuine++;
                genuinePassedStepUp += baseline.stepUpOutcome(i) == StepUpOutcome.PASSED ? 1 : 0;
            }
        }
        assertEquals(0.88, fraudChargebacks / (double) frauds, 0.03);
        assertEquals(0.08, fraudPassedStepUp / (double) frauds, 0.03);
        assertEquals(0.85, genuinePassedStepUp / (double) genuine, 0.01);
    }

    @Test
    void shouldLeaveDeviceSignalsMissingForVoiceOrders() {
        for (int i = 0; i < 5_000; i++) {
            boolean voice = baseline.feature(i, PaymentFeature.CHANNEL) == 2f;
            assertEquals(voice || baseline.deviceUnseen(i), Float.isNaN(baseline.feature(i, PaymentFeature.NEW_DEVICE)));
            assertFalse(voice && baseline.deviceUnseen(i), "a voice order has no device to be unseen");
        }
    }

    @Test
    void shouldRejectUnknownCohortValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cohort.parse("country=XX"));
        assertTrue(e.getMessage().contains("'XX' is not a value of country"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cohort.parse("colour=red"));
        assertThrows(IllegalArgumentException.class, () -> CohortRiskShift.parse("country=CA:-1"));
    }

    /** Fraud rate of a cohort: realised labels, or the mean true probability. */
    private static double rate(PaymentBatch b, Cohort cohort, boolean trueProbability) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < b.size(); i++) {
            if (cohort.matches(b.features(), i * PaymentBatch.WIDTH)) {
                n++;
                sum += trueProbability ? b.fraudProbability(i) : (b.fraud(i) ? 1 : 0);
            }
        }
        return sum / n;
    }
}
