package io.vigil.riskmodel.population;

import static io.vigil.riskmodel.catalog.PaymentFeature.*;

/**
 * The true fraud probability of a synthetic checkout: a documented logistic function of the real feature values, with
 * interactions, so that the best possible (Bayes-optimal) AUC of any generated data set is known.
 *
 * <pre>
 * logit p = INTERCEPT
 *   + 0.55 ln(1 + amount/50)                      + category term (gift cards +1.2, digital +0.8, electronics +0.6,
 *   + 25 merchant_fraud_rate_90d                     gaming +0.5, travel +0.3, ticketing +0.3, grocery -0.8, services -0.3)
 *   + channel (app -0.3, voice +0.6)              + 1.6 exp(-account_age_days/20)
 *   + 0.15 [social login]   + age band (18-24 +0.5, 25-34 +0.1, 45-54 -0.1, 65+ +0.25)
 *   + country (CA +0.25, BR +0.3, MX +0.2, IN +0.2, GB -0.1, DE -0.2, JP -0.3)
 *   + 0.7 [billing/IP mismatch] + 0.6 [IP country mismatch] + 0.8 [card BIN mismatch] + 0.6 [new device]
 *   + AVS (partial +0.3, no match +0.9, unavailable +0.2) + CVV (no match +1.2, not provided +0.4)
 *   + 0.45 min(txn_count_1h, 8) + 0.06 min(txn_count_24h, 30) + 0.5 [hour 0-5]
 *   + 1.0 exp(-email_age_days/30) (missing: +0.3) + 0.2 [free email] + 0.7 min(prior_chargebacks, 3)
 *   + 0.5 (distinct_cards_24h - 1) + 0.25 ln(1 + shipping_billing_distance_km/100) + 0.5 [prepaid]
 *   - 0.25 ln(1 + prior_orders) + 0.3 ln(max(amount_to_avg_ratio, 0.2)) (missing: +0.2) + 0.9 [proxy]
 *   + 0.6 [password reset]
 *   interactions: + 0.8 [new device and account younger than 7 days] + 0.6 [BIN mismatch and IP mismatch]
 *   + 0.7 [amount over 500 at digital goods or gift cards] + 0.5 [3+ transactions in 1 h on a new device]
 *   + 1.0 [password reset on a new device]
 * </pre>
 * Missing device and IP signals (voice orders) count as 0. A cohort risk shift then multiplies p (capped at 1).
 */
public final class FraudRisk {

    /** Puts the overall fraud rate near 1.2% and CA, 18-24 near 2.0%. */
    static final double INTERCEPT = -6.75;

    private static final double[] CATEGORY = {0.8, 0.6, 1.2, 0.5, 0.3, 0.0, 0.0, -0.8, -0.3, 0.3};
    private static final double[] CHANNEL_TERM = {0.0, -0.3, 0.6};
    private static final double[] AGE_BAND = {0.5, 0.1, 0.0, -0.1, 0.0, 0.25};
    private static final double[] COUNTRY_TERM = {0.0, 0.25, -0.1, -0.2, 0.0, 0.3, 0.2, 0.2, -0.3, 0.0};
    private static final double[] AVS = {0.0, 0.3, 0.9, 0.2};
    private static final double[] CVV = {0.0, 1.2, 0.4};

    private FraudRisk() {
    }

    /** True fraud log-odds of the row at {@code x[o..]}, from the real (not defaulted) values. */
    public static double logit(float[] x, int o) {
        float amount = x[o + AMOUNT.ordinal()];
        int category = (int) x[o + MERCHANT_CATEGORY.ordinal()];
        float accountAge = x[o + ACCOUNT_AGE_DAYS.ordinal()];
        float newDevice = flag(x[o + NEW_DEVICE.ordinal()]);
        float ipMismatch = flag(x[o + IP_COUNTRY_MISMATCH.ordinal()]);
        float binMismatch = x[o + CARD_BIN_COUNTRY_MISMATCH.ordinal()];
        float txn1h = x[o + TXN_COUNT_1H.ordinal()];
        float passwordReset = x[o + PASSWORD_RESET_7D.ordinal()];
        float emailAge = x[o + EMAIL_AGE_DAYS.ordinal()];
        float ratio = x[o + AMOUNT_TO_AVG_RATIO.ordinal()];
        float distance = x[o + SHIPPING_BILLING_DISTANCE_KM.ordinal()];
        int hour = (int) x[o + HOUR_OF_DAY.ordinal()];

        double z = INTERCEPT;
        z += 0.55 * Math.log1p(amount / 50.0);
        z += CATEGORY[category];
        z += 25.0 * x[o + MERCHANT_FRAUD_RATE_90D.ordinal()];
        z += CHANNEL_TERM[(int) x[o + CHANNEL.ordinal()]];
        z += 1.6 * Math.exp(-accountAge / 20.0);
        z += 0.15 * x[o + LOGIN_METHOD.ordinal()];
        z += AGE_BAND[(int) x[o + CUSTOMER_AGE_BAND.ordinal()]];
        z += COUNTRY_TERM[(int) x[o + COUNTRY.ordinal()]];
        z += 0.7 * flag(x[o + BILLING_IP_COUNTRY_MISMATCH.ordinal()]) + 0.6 * ipMismatch + 0.8 * binMismatch;
        z += 0.6 * newDevice;
        z += AVS[(int) x[o + AVS_RESULT.ordinal()]];
        z += CVV[(int) x[o + CVV_RESULT.ordinal()]];
        z += 0.45 * Math.min(txn1h, 8f) + 0.06 * Math.min(x[o + TXN_COUNT_24H.ordinal()], 30f);
        z += hour <= 5 ? 0.5 : 0.0;
        z += Float.isNaN(emailAge) ? 0.3 : 1.0 * Math.exp(-emailAge / 30.0);
        z += 0.2 * x[o + EMAIL_DOMAIN_FREE.ordinal()];
        z += 0.7 * Math.min(x[o + PRIOR_CHARGEBACKS.ordinal()], 3f);
        z += 0.5 * (x[o + DISTINCT_CARDS_24H.ordinal()] - 1f);
        z += Float.isNaN(distance) ? 0.0 : 0.25 * Math.log1p(distance / 100.0);
        z += 0.5 * x[o + PREPAID_CARD.ordinal()];
        z -= 0.25 * Math.log1p(x[o + PRIOR_ORDERS.ordinal()]);
        z += Float.isNaN(ratio) ? 0.2 : 0.3 * Math.log(Math.max(ratio, 0.2));
        z += 0.9 * flag(x[o + PROXY_IP.ordinal()]);
        z += 0.6 * passwordReset;

        z += newDevice > 0 && accountAge < 7 ? 0.8 : 0.0;
        z += binMismatch > 0 && ipMismatch > 0 ? 0.6 : 0.0;
        z += amount > 500 && (category == 0 || category == 2) ? 0.7 : 0.0;
        z += txn1h >= 3 && newDevice > 0 ? 0.5 : 0.0;
        z += passwordReset > 0 && newDevice > 0 ? 1.0 : 0.0;
        return z;
    }

    public static double probability(float[] x, int o) {
        return 1.0 / (1.0 + Math.exp(-logit(x, o)));
    }

    private static float flag(float v) {
        return Float.isNaN(v) ? 0f : v;
    }
}
