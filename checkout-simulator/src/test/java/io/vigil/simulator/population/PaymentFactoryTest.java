package io.vigil.simulator.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.junit.jupiter.api.Test;

import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.population.Cohort;
import io.vigil.riskmodel.population.CohortRiskShift;
import io.vigil.riskmodel.population.DefaultedField;
import io.vigil.simulator.scenario.World;

class PaymentFactoryTest {

    final PaymentFactory factory = new PaymentFactory(7, "t");
    final Instant noon = Instant.parse("2026-01-05T12:30:00Z");

    @Test
    void shouldBuildRequestsFromWhichScoringDerivesTheRowsFlags() {
        for (long row = 0; row < 3_000; row++) {
            SimulatedPayment p = factory.create(row, noon, World.BASELINE);
            ScoreRequest r = p.request();
            float[] x = p.features();
            assertEquals(12f, x[PaymentFeature.HOUR_OF_DAY.ordinal()], "the arrival's hour, not the generator's");
            assertEquals(Math.round(x[PaymentFeature.AMOUNT.ordinal()] * 100.0), r.getAmount().getAmountMinor());
            assertTrue(r.getCardBin().matches("\\d{6}"), r.getCardBin());
            String country = p.country();
            if ("voice".equals(p.channel())) {
                assertTrue(r.getIpCountry().isEmpty() && r.getDeviceId().isEmpty(), "voice has no IP or device");
            } else {
                assertEquals(x[PaymentFeature.IP_COUNTRY_MISMATCH.ordinal()] == 1f, !r.getIpCountry().equals(country));
                assertEquals(x[PaymentFeature.BILLING_IP_COUNTRY_MISMATCH.ordinal()] == 1f,
                        !r.getBillingCountry().equals(r.getIpCountry()));
            }
            assertEquals(x[PaymentFeature.CARD_BIN_COUNTRY_MISMATCH.ordinal()] == 1f,
                    !r.getCardBinCountry().equals(r.getBillingCountry()));
        }
    }

    @Test
    void shouldDrawTheTruthAtTheConfiguredCohortRate() {
        Cohort caYoung = Cohort.parse("country=CA,customer_age_band=18-24");
        World spike = new World(List.of(new CohortRiskShift(caYoung, 1.55)), List.of(), World.FeatureLatency.NONE,
                java.util.Map.of(), 1.0, null);
        int n = 0;
        int fraud = 0;
        double sumP = 0;
        double sumBaseP = 0;
        for (long row = 0; row < 300_000; row++) {
            SimulatedPayment p = factory.create(row, noon, spike);
            if (!caYoung.matches(p.features(), 0)) {
                continue;
            }
            SimulatedPayment base = factory.create(row, noon, World.BASELINE);
            n++;
            fraud += p.fraud() ? 1 : 0;
            sumP += p.fraudProbability();
            sumBaseP += Math.min(1.0, 1.55 * base.fraudProbability());
        }
        // The shift multiplies every row's true probability, capped at 1 (as the generator caps it).
        assertEquals(sumBaseP, sumP, 1e-9 * sumP);
        // And the labels follow the probabilities: the observed rate lies in the 99.9% interval of the expected one.
        ConfidenceInterval ci = new ClopperPearsonInterval().createInterval(n, fraud, 0.999);
        double expected = sumP / n;
        assertTrue(ci.getLowerBound() <= expected && expected <= ci.getUpperBound(),
                "CA 18-24: " + fraud + "/" + n + " frauds, expected rate " + expected);
    }

    @Test
    void shouldSendTheDefaultUpstreamButKeepTheTruthOnTheRealValue() {
        World broken = new World(List.of(), List.of(DefaultedField.parse("account_age_days=0@login_method=social")),
                World.FeatureLatency.NONE, java.util.Map.of(), 1.0, null);
        boolean sawSocial = false;
        for (long row = 0; row < 500; row++) {
            SimulatedPayment p = factory.create(row, noon, broken);
            SimulatedPayment real = factory.create(row, noon, World.BASELINE);
            assertEquals(real.fraudProbability(), p.fraudProbability(), "truth follows the real value");
            assertEquals(real.fraud(), p.fraud());
            float emitted = p.emitted()[PaymentFeature.ACCOUNT_AGE_DAYS.ordinal()];
            float stored = real.emitted()[PaymentFeature.ACCOUNT_AGE_DAYS.ordinal()];
            float truth = p.features()[PaymentFeature.ACCOUNT_AGE_DAYS.ordinal()];
            assertFalse(Float.isNaN(truth), "the truth has every account's real age");
            if (Float.isNaN(stored)) {
                // An account the store does not know (realistic missingness): nothing is sent, default or not.
                assertTrue(Float.isNaN(emitted));
            } else if ("social".equals(p.loginMethod())) {
                sawSocial = true;
                assertEquals(0f, emitted);
            } else {
                assertEquals(truth, emitted);
            }
        }
        assertTrue(sawSocial);
        assertFalse(factory.transactionId(1).equals(new PaymentFactory(7, "u").transactionId(1)), "run ids separate runs");
    }
}
