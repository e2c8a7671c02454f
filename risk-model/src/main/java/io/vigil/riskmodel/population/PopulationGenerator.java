package io.vigil.riskmodel.population;

import static io.vigil.riskmodel.catalog.PaymentFeature.*;

import io.vigil.riskmodel.catalog.PaymentFeature;
import java.util.SplittableRandom;

/**
 * Generates a seeded synthetic population of card-not-present checkouts. Row r depends only on (seed, r): any block
 * can be generated on any thread, in any order, and the same rows come out. Immutable and thread-safe.
 *
 * <p>Features are drawn with realistic correlations (young accounts have young emails and few orders, voice orders have
 * no device or IP signals, digital goods have no shipping address); the fraud label is then drawn from
 * {@link FraudRisk}, times any cohort risk shift; chargebacks and step-up outcomes follow from the label. Defaulted-field
 * scenarios and then {@link Missingness} (what the feature store lacks: first-time accounts, unseen devices and cards)
 * are applied last, to the emitted features only, so the truth keeps the real values. Missingness draws from a random
 * stream of its own: a row the store fully knows is the same, value for value, whatever the missingness rates.
 */
public final class PopulationGenerator {

    private static final double[] COUNTRY_WEIGHTS = {0.45, 0.08, 0.10, 0.08, 0.07, 0.06, 0.05, 0.04, 0.04, 0.03};
    /** Country code to region code (NA, EU, LATAM, APAC) and to home currency code. */
    private static final int[] REGION_OF = {0, 0, 1, 1, 1, 2, 2, 3, 3, 3};
    private static final int[] CURRENCY_OF = {0, 1, 2, 3, 3, 4, 5, 6, 7, 8};
    private static final double[] AGE_BAND_WEIGHTS = {0.14, 0.24, 0.22, 0.17, 0.13, 0.10};
    private static final double[] CATEGORY_WEIGHTS = {0.12, 0.10, 0.04, 0.06, 0.08, 0.20, 0.12, 0.12, 0.10, 0.06};
    /** Median order amount (USD) by merchant category. */
    private static final double[] CATEGORY_MEDIAN_AMOUNT = {25, 180, 60, 30, 320, 70, 90, 55, 45, 85};
    private static final double[] CATEGORY_FRAUD_RATE = {0.012, 0.010, 0.020, 0.009, 0.006, 0.004, 0.004, 0.002, 0.003,
        0.007};
    /** Categories that ship nothing, so have no shipping address. */
    private static final boolean[] DIGITAL = {true, false, true, true, true, false, false, false, true, true};
    /** Account-level stored features: all missing when the store has never seen the account. */
    private static final PaymentFeature[] ACCOUNT_HISTORY = {ACCOUNT_AGE_DAYS, LOGIN_METHOD,
        CUSTOMER_AGE_BAND, COUNTRY, REGION, TXN_COUNT_1H, TXN_COUNT_24H, AMOUNT_SUM_24H, EMAIL_AGE_DAYS,
        EMAIL_DOMAIN_FREE, PRIOR_CHARGEBACKS, DISTINCT_CARDS_24H, PRIOR_ORDERS, AMOUNT_TO_AVG_RATIO, PASSWORD_RESET_7D,
        IP_COUNTRY_MISMATCH};
    /** Salt of the missingness stream, so its draws never shift the feature stream's. */
    private static final long MISSINGNESS_SALT = 0x6A09E667F3BCC909L;
    private static final double[] HOUR_WEIGHTS = {1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.5, 3.8, 4.6, 5.2, 5.6, 6.0, 5.8,
        5.4, 5.2, 5.3, 5.6, 6.0, 6.4, 6.3, 5.5, 4.0, 2.4};

    private final PopulationConfig config;
    private final double[] countryCdf = cdf(COUNTRY_WEIGHTS);
    private final double[] ageCdf = cdf(AGE_BAND_WEIGHTS);
    private final double[] categoryCdf = cdf(CATEGORY_WEIGHTS);
    private final double[] hourCdf = cdf(HOUR_WEIGHTS);

    public PopulationGenerator(PopulationConfig config) {
        this.config = config;
    }

    public PopulationConfig config() {
        return config;
    }

    /** Fills {@code batch} with rows {@code firstRow .. firstRow + rows - 1}. */
    public void generate(long firstRow, int rows, PaymentBatch batch) {
        if (rows > batch.capacity) {
            throw new IllegalArgumentException("batch holds " + batch.capacity + " rows, asked for " + rows);
        }
        batch.firstRow = firstRow;
        batch.size = rows;
        for (int i = 0; i < rows; i++) {
            row(firstRow + i, batch, i);
        }
    }

    /** Convenience for callers that want one checkout at a time (demo traffic, replays). */
    public PaymentBatch generate(long firstRow, int rows) {
        PaymentBatch batch = new PaymentBatch(rows);
        generate(firstRow, rows, batch);
        return batch;
    }

    private void row(long rowNumber, PaymentBatch b, int i) {
        SplittableRandom rnd = new SplittableRandom(mix(config.seed(), rowNumber));
        float[] x = b.features;
        int o = i * PaymentBatch.WIDTH;

        int country = pick(countryCdf, rnd);
        int ageBand = pick(ageCdf, rnd);
        int category = pick(categoryCdf, rnd);
        double channelDraw = rnd.nextDouble();
        int channel = channelDraw < 0.55 ? 0 : channelDraw < 0.95 ? 1 : 2;
        boolean voice = channel == 2;
        boolean social = rnd.nextDouble() < (ageBand == 0 ? 0.45 : ageBand == 1 ? 0.35 : 0.22);
        boolean newAccount = rnd.nextDouble() < 0.10;
        double accountAge = newAccount ? Math.floor(rnd.nextDouble() * 30)
                : Math.min(5000, Math.floor(Math.exp(Math.log(400) + 0.9 * rnd.nextGaussian())));
        double amount = Math.max(1.0, CATEGORY_MEDIAN_AMOUNT[category] * Math.exp(0.8 * rnd.nextGaussian()));
        amount = Math.round(amount * 100.0) / 100.0;
        boolean crossBorderCurrency = rnd.nextDouble() < 0.10;

        x[o + AMOUNT.ordinal()] = (float) amount;
        x[o + CURRENCY.ordinal()] = crossBorderCurrency ? 0 : CURRENCY_OF[country];
        x[o + MERCHANT_CATEGORY.ordinal()] = category;
        x[o + MERCHANT_FRAUD_RATE_90D.ordinal()] = (float) (Math.round(
                CATEGORY_FRAUD_RATE[category] * Math.exp(0.5 * rnd.nextGaussian()) * 10000.0) / 10000.0);
        x[o + CHANNEL.ordinal()] = channel;
        x[o + ACCOUNT_AGE_DAYS.ordinal()] = (float) accountAge;
        x[o + LOGIN_METHOD.ordinal()] = social ? 1 : 0;
        x[o + CUSTOMER_AGE_BAND.ordinal()] = ageBand;
        x[o + COUNTRY.ordinal()] = country;
        x[o + REGION.ordinal()] = REGION_OF[country];
        x[o + BILLING_IP_COUNTRY_MISMATCH.ordinal()] = voice ? Float.NaN : bit(rnd, 0.05);
        x[o + IP_COUNTRY_MISMATCH.ordinal()] = voice ? Float.NaN : bit(rnd, 0.04);
        x[o + CARD_BIN_COUNTRY_MISMATCH.ordinal()] = bit(rnd, 0.03);
        x[o + NEW_DEVICE.ordinal()] = voice ? Float.NaN : bit(rnd, accountAge < 14 ? 0.5 : 0.1);
        boolean avsCountry = country <= 2;
        double avs = rnd.nextDouble();
        double unavailable = avsCountry ? 0.04 : 0.35;
        x[o + AVS_RESULT.ordinal()] = avs < unavailable ? 3 : avs < unavailable + 0.04 ? 2 : avs < unavailable + 0.12 ? 1 : 0;
        double cvv = rnd.nextDouble();
        x[o + CVV_RESULT.ordinal()] = cvv < 0.015 ? 1 : cvv < 0.05 ? 2 : 0;
        int txn1h = poisson(rnd, 0.3);
        int txn24h = txn1h + poisson(rnd, 1.5);
        x[o + TXN_COUNT_1H.ordinal()] = txn1h;
        x[o + TXN_COUNT_24H.ordinal()] = txn24h;
        double otherSpend = 0.0;
        for (int t = 0; t < Math.min(txn24h, 20); t++) {
            otherSpend += CATEGORY_MEDIAN_AMOUNT[pick(categoryCdf, rnd)] * Math.exp(0.8 * rnd.nextGaussian());
        }
        x[o + AMOUNT_SUM_24H.ordinal()] = (float) (Math.round((amount + otherSpend) * 100.0) / 100.0);
        int hour = pick(hourCdf, rnd);
        x[o + HOUR_OF_DAY.ordinal()] = hour;
        double emailMedian = accountAge < 30 ? 60 : 900;
        x[o + EMAIL_AGE_DAYS.ordinal()] = rnd.nextDouble() < 0.05 ? Float.NaN
                : (float) Math.min(9000, Math.floor(emailMedian * Math.exp(1.0 * rnd.nextGaussian())));
        x[o + EMAIL_DOMAIN_FREE.ordinal()] = bit(rnd, 0.6);
        x[o + PRIOR_CHARGEBACKS.ordinal()] = poisson(rnd, 0.03);
        x[o + DISTINCT_CARDS_24H.ordinal()] = 1 + poisson(rnd, 0.08);
        x[o + SHIPPING_BILLING_DISTANCE_KM.ordinal()] = DIGITAL[category] ? Float.NaN
                : rnd.nextDouble() < 0.7 ? 0f : (float) Math.floor(50 * Math.exp(1.5 * rnd.nextGaussian()));
        x[o + PREPAID_CARD.ordinal()] = bit(rnd, 0.07);
        int priorOrders = poisson(rnd, accountAge / 60.0);
        x[o + PRIOR_ORDERS.ordinal()] = priorOrders;
        x[o + AMOUNT_TO_AVG_RATIO.ordinal()] = priorOrders == 0 ? Float.NaN
                : (float) (Math.round(amount / (CATEGORY_MEDIAN_AMOUNT[category] * Math.exp(0.5 * rnd.nextGaussian()))
                        * 1000.0) / 1000.0);
        x[o + PROXY_IP.ordinal()] = voice ? Float.NaN : bit(rnd, 0.03);
        x[o + PASSWORD_RESET_7D.ordinal()] = bit(rnd, 0.02);

        double p = FraudRisk.probability(x, o);
        for (CohortRiskShift shift : config.riskShifts()) {
            if (shift.cohort().matches(x, o)) {
                p = Math.min(1.0, p * shift.riskMultiplier());
            }
        }
        boolean fraud = rnd.nextDouble() < p;
        b.fraudProbability[i] = p;
        b.fraud[i] = fraud;
        // Most fraud is charged back (some victims never notice); a few genuine orders are disputed too.
        boolean chargeback = rnd.nextDouble() < (fraud ? 0.88 : 0.002);
        b.chargeback[i] = chargeback;
        b.chargebackDelayDays[i] = chargeback
                ? (float) Math.min(120.0, Math.max(2.0, Math.floor(30.0 * Math.exp(0.5 * rnd.nextGaussian()))))
                : Float.NaN;
        double s = rnd.nextDouble();
        b.stepUp[i] = fraud ? (s < 0.08 ? StepUpOutcome.PASSED : s < 0.63 ? StepUpOutcome.FAILED : StepUpOutcome.ABANDONED)
                : (s < 0.85 ? StepUpOutcome.PASSED : s < 0.88 ? StepUpOutcome.FAILED : StepUpOutcome.ABANDONED);
        long day = (long) (rnd.nextDouble() * config.days());
        b.eventTime[i] = config.startEpochSecond() + day * 86_400L + hour * 3_600L + rnd.nextInt(3_600);

        for (DefaultedField d : config.defaultedFields()) {
            if (d.segment().matches(x, o)) {
                x[o + d.feature().ordinal()] = d.value();
            }
        }
        applyMissingness(rowNumber, accountAge, priorOrders, x, o, b, i);
    }

    private void applyMissingness(long rowNumber, double accountAge, int priorOrders, float[] x, int o, PaymentBatch b,
            int i) {
        Missingness m = config.missingness();
        SplittableRandom rnd = new SplittableRandom(mix(config.seed() ^ MISSINGNESS_SALT, rowNumber));
        // Always four draws, so each decision has a fixed place in the stream.
        double account = rnd.nextDouble();
        double device = rnd.nextDouble();
        double card = rnd.nextDouble();
        rnd.nextDouble();
        boolean firstTime = accountAge < Missingness.FIRST_TIME_MAX_AGE_DAYS && priorOrders == 0;
        boolean accountUnseen = account < (firstTime ? m.firstTimeAccounts() : m.unseenAccounts());
        boolean deviceUnseen = x[o + NEW_DEVICE.ordinal()] == 1f && device < m.unseenDevices();
        boolean cardUnseen = card < m.unseenCards();
        if (accountUnseen) {
            for (PaymentFeature f : ACCOUNT_HISTORY) {
                x[o + f.ordinal()] = Float.NaN;
            }
        }
        if (deviceUnseen) {
            x[o + NEW_DEVICE.ordinal()] = Float.NaN;
        }
        if (cardUnseen) {
            x[o + CARD_BIN_COUNTRY_MISMATCH.ordinal()] = Float.NaN;
            x[o + PREPAID_CARD.ordinal()] = Float.NaN;
        }
        b.accountUnseen[i] = accountUnseen;
        b.deviceUnseen[i] = deviceUnseen;
        b.cardUnseen[i] = cardUnseen;
    }

    private static float bit(SplittableRandom rnd, double p) {
        return rnd.nextDouble() < p ? 1f : 0f;
    }

    /** Knuth's method: the means used here are small. */
    private static int poisson(SplittableRandom rnd, double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double prod = rnd.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= rnd.nextDouble();
            k++;
        }
        return k;
    }

    private static int pick(double[] cdf, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        for (int i = 0; i < cdf.length - 1; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    private static double[] cdf(double[] weights) {
        double total = 0.0;
        for (double w : weights) {
            total += w;
        }
        double[] cdf = new double[weights.length];
        double acc = 0.0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            cdf[i] = acc / total;
        }
        return cdf;
    }

    /** SplitMix64 finaliser over (seed, row): independent, well-mixed streams per row. */
    static long mix(long seed, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + row;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
