package io.vigil.simulator.population;

import static io.vigil.riskmodel.catalog.PaymentFeature.*;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import com.google.protobuf.Timestamp;

import io.vigil.contracts.scoring.v1.AvsResult;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.CvvResult;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.population.CohortRiskShift;
import io.vigil.riskmodel.population.DefaultedField;
import io.vigil.riskmodel.population.FraudRisk;
import io.vigil.riskmodel.population.Missingness;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;
import io.vigil.simulator.scenario.World;

/**
 * Turns population rows of risk-model's {@link PopulationGenerator} into checkouts at simulated times. The generator
 * gives the features; the truth is drawn here the way the generator draws it (the same {@link FraudRisk}, the same
 * capped cohort multipliers) but at the arrival's own hour and with the shifts the world has at that simulated time,
 * so a scenario can start mid-run and the hour the model sees is the hour the truth used.
 *
 * <p>The request is built so scoring derives the row's values: billing, IP and card-issuer countries reproduce the
 * three mismatch flags, voice orders carry no device or IP, the amount is sent in USD. Ids are per row (account,
 * device, merchant), so a row's stored features never mix with another row's.
 */
public final class PaymentFactory {

    private static final String[] COUNTRIES = levels(COUNTRY);

    /** The store's view: the population with realistic missingness (what producers can send). */
    private final PopulationGenerator generator;
    /** The same rows without missingness: the real values the truth follows (identical where the store knows them). */
    private final PopulationGenerator truth;
    private final long seed;
    private final String runId;

    public PaymentFactory(long seed, String runId) {
        this.generator = new PopulationGenerator(PopulationConfig.baseline(seed));
        this.truth = new PopulationGenerator(PopulationConfig.baseline(seed).withMissingness(Missingness.NONE));
        this.seed = seed;
        this.runId = runId;
    }

    public SimulatedPayment create(long row, Instant createdAt, World world) {
        // The truth uses the real values: a feature the store lacks (NaN in the emitted row) would make the true
        // probability NaN, and such a row would never be fraud.
        float[] x = new float[PaymentBatch.WIDTH];
        truth.generate(row, 1).copyFeatures(0, x);
        float[] stored = new float[PaymentBatch.WIDTH];
        generator.generate(row, 1).copyFeatures(0, stored);
        x[HOUR_OF_DAY.ordinal()] = createdAt.atZone(ZoneOffset.UTC).getHour();
        stored[HOUR_OF_DAY.ordinal()] = x[HOUR_OF_DAY.ordinal()];
        double p = FraudRisk.probability(x, 0);
        for (CohortRiskShift shift : world.cohortRisk()) {
            if (shift.cohort().matches(x, 0)) {
                p = Math.min(1.0, p * shift.riskMultiplier());
            }
        }
        SplittableRandom rnd = new SplittableRandom(mix(seed, row));
        boolean fraud = rnd.nextDouble() < p;
        float[] emitted = stored;
        for (DefaultedField d : world.featureDefaults()) {
            // Upstream defaults a value it sends; an account the store has never seen gets nothing from it.
            if (d.segment().matches(x, 0) && !Float.isNaN(emitted[d.feature().ordinal()])) {
                emitted[d.feature().ordinal()] = d.value();
            }
        }
        return new SimulatedPayment(row, createdAt, request(row, createdAt, x, rnd), x, emitted, p, fraud,
                label(x, COUNTRY), label(x, CUSTOMER_AGE_BAND), label(x, CHANNEL), label(x, LOGIN_METHOD));
    }

    /** The outcome stream of a row: independent of the label draw, the same in every run of the seed. */
    public SplittableRandom outcomeRandom(long row) {
        return new SplittableRandom(mix(seed ^ 0x5DEECE66DL, row));
    }

    private ScoreRequest request(long row, Instant createdAt, float[] x, SplittableRandom rnd) {
        String country = label(x, COUNTRY);
        boolean voice = x[CHANNEL.ordinal()] == 2f;
        ScoreRequest.Builder r = ScoreRequest.newBuilder()
                .setTransactionId(transactionId(row))
                .setAccountId(accountId(row))
                .setAmount(Money.newBuilder().setAmountMinor(Math.round(x[AMOUNT.ordinal()] * 100.0)).setCurrency("USD"))
                .setMerchantId(merchantId(row))
                .setMerchantCategoryCode(MCC[(int) x[MERCHANT_CATEGORY.ordinal()]])
                .setChannel(switch ((int) x[CHANNEL.ordinal()]) {
                    case 1 -> Channel.CHANNEL_APP;
                    case 2 -> Channel.CHANNEL_VOICE;
                    default -> Channel.CHANNEL_WEB;
                })
                .setCreatedAt(Timestamp.newBuilder().setSeconds(createdAt.getEpochSecond()).setNanos(createdAt.getNano()))
                .setAvsResult(switch ((int) x[AVS_RESULT.ordinal()]) {
                    case 1 -> AvsResult.AVS_RESULT_PARTIAL;
                    case 2 -> AvsResult.AVS_RESULT_NO_MATCH;
                    case 3 -> AvsResult.AVS_RESULT_UNAVAILABLE;
                    default -> AvsResult.AVS_RESULT_MATCH;
                })
                .setCvvResult(switch ((int) x[CVV_RESULT.ordinal()]) {
                    case 1 -> CvvResult.CVV_RESULT_NO_MATCH;
                    case 2 -> CvvResult.CVV_RESULT_NOT_PROVIDED;
                    default -> CvvResult.CVV_RESULT_MATCH;
                })
                .setPrepaidCard(x[PREPAID_CARD.ordinal()] == 1f);
        // Countries that reproduce the row's flags as scoring derives them: ip_country_mismatch = account vs IP,
        // billing_ip_country_mismatch = billing vs IP, card_bin_country_mismatch = issuer vs billing.
        String billing = country;
        if (!voice) {
            String ip = x[IP_COUNTRY_MISMATCH.ordinal()] == 1f ? other(country, rnd) : country;
            if (x[BILLING_IP_COUNTRY_MISMATCH.ordinal()] == 1f) {
                billing = ip.equals(country) ? other(country, rnd) : country;
            } else {
                billing = ip;
            }
            r.setIpCountry(ip).setDeviceId(deviceId(row)).setProxyIp(x[PROXY_IP.ordinal()] == 1f);
        }
        String issuer = x[CARD_BIN_COUNTRY_MISMATCH.ordinal()] == 1f ? other(billing, rnd) : billing;
        r.setBillingCountry(billing).setCardBinCountry(issuer).setCardBin(bin(issuer, row));
        float distance = x[SHIPPING_BILLING_DISTANCE_KM.ordinal()];
        if (!Float.isNaN(distance)) {
            r.setShippingBillingDistanceKm(distance);
        }
        return r.build();
    }

    public String transactionId(long row) {
        return "sim-" + runId + "-tx-" + row;
    }

    public String accountId(long row) {
        return "sim-" + runId + "-acct-" + row;
    }

    public String deviceId(long row) {
        return "sim-" + runId + "-dev-" + row;
    }

    public String merchantId(long row) {
        return "sim-" + runId + "-merch-" + row;
    }

    /** A made-up 6-digit BIN per issuer country (4 + country index + 4 digits from the row): never a card number. */
    static String bin(String issuer, long row) {
        int c = Math.max(0, java.util.Arrays.asList(COUNTRIES).indexOf(issuer));
        return "4" + c + String.format("%04d", Math.floorMod(row * 7919, 10_000));
    }

    private static String other(String country, SplittableRandom rnd) {
        String o = COUNTRIES[rnd.nextInt(COUNTRIES.length - 1)];
        return o.equals(country) ? COUNTRIES[COUNTRIES.length - 1] : o;
    }

    /** ISO 18245 codes standing for the population's categories (digital goods, electronics, gift cards, ...). */
    static final String[] MCC = {"5818", "5732", "5947", "5816", "4722", "5651", "5712", "5411", "7299", "7922"};

    static String label(float[] x, PaymentFeature f) {
        return f.definition().label(x[f.ordinal()]);
    }

    private static String[] levels(PaymentFeature f) {
        return f.definition().levels().toArray(new String[0]);
    }

    static long mix(long seed, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + row + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
