package io.vigil.riskmodel.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.riskmodel.catalog.PaymentFeature;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MissingnessTest {

    private static final int ROWS = 200_000;
    /** The stored account-level features and what scoring derives from them (Missingness' Javadoc). */
    private static final Set<PaymentFeature> ACCOUNT = EnumSet.of(PaymentFeature.ACCOUNT_AGE_DAYS,
            PaymentFeature.LOGIN_METHOD, PaymentFeature.CUSTOMER_AGE_BAND, PaymentFeature.COUNTRY, PaymentFeature.REGION,
            PaymentFeature.TXN_COUNT_1H, PaymentFeature.TXN_COUNT_24H, PaymentFeature.AMOUNT_SUM_24H,
            PaymentFeature.EMAIL_AGE_DAYS, PaymentFeature.EMAIL_DOMAIN_FREE, PaymentFeature.PRIOR_CHARGEBACKS,
            PaymentFeature.DISTINCT_CARDS_24H, PaymentFeature.PRIOR_ORDERS, PaymentFeature.AMOUNT_TO_AVG_RATIO,
            PaymentFeature.PASSWORD_RESET_7D, PaymentFeature.IP_COUNTRY_MISMATCH);

    private static PaymentBatch complete;
    private static PaymentBatch realistic;

    @BeforeAll
    static void generate() {
        complete = new PopulationGenerator(PopulationConfig.baseline(42).withMissingness(Missingness.NONE))
                .generate(0, ROWS);
        realistic = new PopulationGenerator(PopulationConfig.baseline(42)).generate(0, ROWS);
    }

    @Test
    void shouldKeepTheTruthAndEveryValueTheStoreKnows() {
        for (int i = 0; i < ROWS; i++) {
            assertEquals(complete.fraudProbability(i), realistic.fraudProbability(i), 0.0);
            assertEquals(complete.fraud(i), realistic.fraud(i));
            assertEquals(complete.eventTime(i), realistic.eventTime(i));
            for (PaymentFeature f : PaymentFeature.values()) {
                float before = complete.feature(i, f);
                float after = realistic.feature(i, f);
                boolean masked = realistic.accountUnseen(i) && ACCOUNT.contains(f)
                        || realistic.deviceUnseen(i) && f == PaymentFeature.NEW_DEVICE
                        || realistic.cardUnseen(i) && (f == PaymentFeature.CARD_BIN_COUNTRY_MISMATCH
                                || f == PaymentFeature.PREPAID_CARD);
                if (masked) {
                    assertTrue(Float.isNaN(after), "row " + i + " " + f + " should be missing");
                } else {
                    assertEquals(0, Float.compare(before, after), "row " + i + " " + f + " changed");
                }
            }
        }
    }

    @Test
    void shouldLoseHistoryAtTheDocumentedRates() {
        int young = 0;
        int youngUnseen = 0;
        int older = 0;
        int olderUnseen = 0;
        int newDevices = 0;
        int devicesUnseen = 0;
        int cardsUnseen = 0;
        for (int i = 0; i < ROWS; i++) {
            boolean firstTime = complete.feature(i, PaymentFeature.ACCOUNT_AGE_DAYS) < Missingness.FIRST_TIME_MAX_AGE_DAYS
                    && complete.feature(i, PaymentFeature.PRIOR_ORDERS) == 0f;
            if (firstTime) {
                young++;
                youngUnseen += realistic.accountUnseen(i) ? 1 : 0;
            } else {
                older++;
                olderUnseen += realistic.accountUnseen(i) ? 1 : 0;
            }
            if (complete.feature(i, PaymentFeature.NEW_DEVICE) == 1f) {
                newDevices++;
                devicesUnseen += realistic.deviceUnseen(i) ? 1 : 0;
            } else {
                assertFalse(realistic.deviceUnseen(i), "only a device new to the account can be unknown");
            }
            cardsUnseen += realistic.cardUnseen(i) ? 1 : 0;
        }
        // Each share is Binomial(n, p): within 4 standard deviations.
        assertTrue(young > 1_000, "first-time accounts: " + young);
        assertBinomial(0.8, young, youngUnseen);
        assertBinomial(0.01, older, olderUnseen);
        assertBinomial(0.5, newDevices, devicesUnseen);
        assertBinomial(0.02, ROWS, cardsUnseen);
    }

    @Test
    void shouldEmitNothingMissingWithoutMissingness() {
        for (int i = 0; i < ROWS; i++) {
            assertFalse(complete.accountUnseen(i) || complete.deviceUnseen(i) || complete.cardUnseen(i));
        }
    }

    @Test
    void shouldParseRatesAndRefuseNonsense() {
        assertEquals(Missingness.REALISTIC, Missingness.parse("realistic"));
        assertEquals(Missingness.NONE, Missingness.parse("none"));
        assertEquals(new Missingness(0.5, 0.1, 0.2, 0.3), Missingness.parse("0.5,0.1,0.2,0.3"));
        assertThrows(IllegalArgumentException.class, () -> Missingness.parse("0.5,0.1,0.2"));
        assertThrows(IllegalArgumentException.class, () -> Missingness.parse("0.5,0.1,0.2,x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Missingness.parse("1.5,0.1,0.2,0.3"));
        assertTrue(e.getMessage().contains("firstTimeAccounts"), e.getMessage());
    }

    private static void assertBinomial(double p, int n, int x) {
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(n * p, x, 4 * sd, x + " of " + n + " against p = " + p);
    }
}
