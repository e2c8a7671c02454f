package io.vigil.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;

/** The leaked-export knob of {@code train --closed-accounts}: only account_age_days goes, at the stated rates. */
class ClosedAccountsTest {

    @Test
    void purgesAccountAgeAloneAtTheFraudAndGenuineRates() {
        int n = 200_000;
        PaymentBatch original = new PopulationGenerator(PopulationConfig.baseline(11)).generate(0, n);
        PaymentBatch data = new PopulationGenerator(PopulationConfig.baseline(11)).generate(0, n);
        int changed = Trainer.purgeClosedAccounts(data, new TrainingOptions.ClosedAccounts(0.6, 0.03), 11);

        int age = PaymentFeature.ACCOUNT_AGE_DAYS.ordinal();
        long fraud = 0, fraudPurged = 0, genuine = 0, genuinePurged = 0, count = 0;
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < PaymentBatch.WIDTH; f++) {
                float a = original.features()[i * PaymentBatch.WIDTH + f];
                float b = data.features()[i * PaymentBatch.WIDTH + f];
                if (f != age) {
                    assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(b), "row " + i + " feature " + f);
                }
            }
            // Rows whose age the population already lacks (first-time accounts) are not counted as purged.
            if (Float.isNaN(original.features()[i * PaymentBatch.WIDTH + age])) {
                continue;
            }
            boolean purged = Float.isNaN(data.features()[i * PaymentBatch.WIDTH + age]);
            count += purged ? 1 : 0;
            if (data.fraud(i)) {
                fraud++;
                fraudPurged += purged ? 1 : 0;
            } else {
                genuine++;
                genuinePurged += purged ? 1 : 0;
            }
        }
        assertTrue(changed >= count, "changed " + changed + " counted " + count);
        // Binomial: 4 standard deviations.
        double pf = fraudPurged / (double) fraud;
        double pg = genuinePurged / (double) genuine;
        assertEquals(0.6, pf, 4 * Math.sqrt(0.6 * 0.4 / fraud), "fraud rows purged");
        assertEquals(0.03, pg, 4 * Math.sqrt(0.03 * 0.97 / genuine), "genuine rows purged");
    }

    @Test
    void parsesAndRefuses() {
        assertEquals(new TrainingOptions.ClosedAccounts(0.6, 0.03), TrainingOptions.ClosedAccounts.parse("0.6,0.03"));
        assertFalse(TrainingOptions.ClosedAccounts.parse("0,0").active());
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.ClosedAccounts.parse("0.6"));
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.ClosedAccounts.parse("1.5,0"));
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.ClosedAccounts.parse("x,0"));
    }
}
