package io.vigil.scoring.features;

import java.util.Currency;
import java.util.HashMap;
import java.util.Map;

import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.catalog.PaymentFeature;

/**
 * Builds the model input of a checkout: request-derived features first, then the stored features feature-service
 * served, under the shared agreement of contract checkout-features/v1. A stored value whose status is not OK enters
 * the model as missing (NaN), never as the suspicious value itself, and is listed as an issue. Immutable, shared.
 */
public final class FeatureDeriver {

    /** Stored features that go into the model unchanged, by wire name. */
    private static final Map<String, PaymentFeature> DIRECT = new HashMap<>();
    static final String AVG_ORDER_AMOUNT = "avg_order_amount";
    static final String DEVICE_AGE_DAYS = "device_age_days";

    /**
     * Indicative USD rates for the currencies of the feature contract. The model was trained on USD amounts; a
     * currency outside this table gives an unknown (missing) amount rather than a guessed one.
     */
    private static final Map<String, Double> USD_PER_UNIT = Map.of("USD", 1.0, "CAD", 0.73, "GBP", 1.27,
            "EUR", 1.08, "BRL", 0.20, "MXN", 0.058, "INR", 0.012, "JPY", 0.0067, "AUD", 0.66);
    private static final Map<String, Double> MINOR_PER_UNIT = new HashMap<>();

    static {
        for (PaymentFeature f : new PaymentFeature[] {PaymentFeature.ACCOUNT_AGE_DAYS, PaymentFeature.LOGIN_METHOD,
                PaymentFeature.CUSTOMER_AGE_BAND, PaymentFeature.COUNTRY, PaymentFeature.REGION,
                PaymentFeature.TXN_COUNT_1H, PaymentFeature.TXN_COUNT_24H, PaymentFeature.AMOUNT_SUM_24H,
                PaymentFeature.EMAIL_AGE_DAYS, PaymentFeature.EMAIL_DOMAIN_FREE, PaymentFeature.PRIOR_CHARGEBACKS,
                PaymentFeature.DISTINCT_CARDS_24H, PaymentFeature.PRIOR_ORDERS, PaymentFeature.PASSWORD_RESET_7D,
                PaymentFeature.MERCHANT_CATEGORY, PaymentFeature.MERCHANT_FRAUD_RATE_90D}) {
            DIRECT.put(f.featureName(), f);
        }
        for (String code : USD_PER_UNIT.keySet()) {
            MINOR_PER_UNIT.put(code, Math.pow(10, Currency.getInstance(code).getDefaultFractionDigits()));
        }
    }

    /** Request-derived features; stored ones stay missing until {@link #applyStored}. */
    public FeatureVector fromRequest(ScoreRequest r, long nowEpochSeconds) {
        FeatureVector v = new FeatureVector();
        String currency = r.getAmount().getCurrency();
        Double rate = USD_PER_UNIT.get(currency);
        if (rate != null) {
            v.amountUsd = r.getAmount().getAmountMinor() / MINOR_PER_UNIT.get(currency) * rate;
            v.set(PaymentFeature.AMOUNT, (float) v.amountUsd);
        }
        code(v, PaymentFeature.CURRENCY, currency);
        switch (r.getChannel()) {
            case CHANNEL_WEB -> v.channel = "web";
            case CHANNEL_APP -> v.channel = "app";
            case CHANNEL_VOICE -> v.channel = "voice";
            default -> v.channel = null;
        }
        code(v, PaymentFeature.CHANNEL, v.channel);
        v.set(PaymentFeature.BILLING_IP_COUNTRY_MISMATCH, mismatch(r.getBillingCountry(), r.getIpCountry()));
        v.set(PaymentFeature.CARD_BIN_COUNTRY_MISMATCH, mismatch(r.getCardBinCountry(), r.getBillingCountry()));
        long seconds = r.hasCreatedAt() ? r.getCreatedAt().getSeconds() : nowEpochSeconds;
        // UTC hour: the request carries no time zone, and the training data's hours are UTC as well.
        v.set(PaymentFeature.HOUR_OF_DAY, (float) Math.floorMod(seconds / 3600, 24));
        v.set(PaymentFeature.AVS_RESULT, switch (r.getAvsResult()) {
            case AVS_RESULT_MATCH -> 0f;
            case AVS_RESULT_PARTIAL -> 1f;
            case AVS_RESULT_NO_MATCH -> 2f;
            case AVS_RESULT_UNAVAILABLE -> 3f;
            default -> Float.NaN;
        });
        v.set(PaymentFeature.CVV_RESULT, switch (r.getCvvResult()) {
            case CVV_RESULT_MATCH -> 0f;
            case CVV_RESULT_NO_MATCH -> 1f;
            case CVV_RESULT_NOT_PROVIDED -> 2f;
            default -> Float.NaN;
        });
        if (r.hasPrepaidCard()) {
            v.set(PaymentFeature.PREPAID_CARD, r.getPrepaidCard() ? 1f : 0f);
        }
        if (r.hasProxyIp()) {
            v.set(PaymentFeature.PROXY_IP, r.getProxyIp() ? 1f : 0f);
        }
        if (r.hasShippingBillingDistanceKm()) {
            v.set(PaymentFeature.SHIPPING_BILLING_DISTANCE_KM, (float) r.getShippingBillingDistanceKm());
        }
        return v;
    }

    /**
     * Adds the stored features of a GetFeatures answer. Every stored feature of the contract that the answer lacks,
     * or serves with a status other than OK, stays missing and is listed as an issue.
     */
    public void applyStored(FeatureVector v, GetFeaturesResponse response, ScoreRequest r) {
        long seen = 0L;
        double avgOrder = Double.NaN;
        double deviceAge = Double.NaN;
        for (int i = 0, n = response.getFeaturesCount(); i < n; i++) {
            ServedFeature served = response.getFeatures(i);
            String name = served.getName();
            PaymentFeature direct = DIRECT.get(name);
            boolean derivedSource = direct == null && (AVG_ORDER_AMOUNT.equals(name) || DEVICE_AGE_DAYS.equals(name));
            if (direct == null && !derivedSource) {
                continue;
            }
            seen |= bit(direct, name);
            if (served.getStatus() != FeatureStatus.FEATURE_STATUS_OK) {
                v.issue(name, statusName(served.getStatus()));
                continue;
            }
            FeatureValue value = served.getValue();
            if (derivedSource) {
                double d = number(value);
                if (AVG_ORDER_AMOUNT.equals(name)) {
                    avgOrder = d;
                } else {
                    deviceAge = d;
                }
                continue;
            }
            if (direct.definition().levels().isEmpty()) {
                double d = number(value);
                if (Double.isNaN(d)) {
                    v.issue(name, "VIOLATION");
                } else {
                    v.set(direct, (float) d);
                }
            } else {
                String label = value.getValueCase() == FeatureValue.ValueCase.STRING_VALUE ? value.getStringValue() : null;
                int code = label == null ? -1 : direct.definition().code(label);
                if (code < 0) {
                    v.issue(name, "VIOLATION");
                    continue;
                }
                v.set(direct, code);
                switch (direct) {
                    case COUNTRY -> v.country = label;
                    case REGION -> v.region = label;
                    case CUSTOMER_AGE_BAND -> v.ageBand = label;
                    case LOGIN_METHOD -> v.loginMethod = label;
                    default -> {
                    }
                }
            }
        }
        for (PaymentFeature f : DIRECT.values()) {
            if ((seen & (1L << f.ordinal())) == 0 && expected(f, r)) {
                v.issue(f.featureName(), "MISSING");
            }
        }
        if ((seen & (1L << 62)) == 0) {
            v.issue(AVG_ORDER_AMOUNT, "MISSING");
        }
        if ((seen & (1L << 63)) == 0 && !r.getDeviceId().isEmpty()) {
            v.issue(DEVICE_AGE_DAYS, "MISSING");
        }
        if (avgOrder > 0.0 && !Double.isNaN(v.amountUsd)) {
            v.set(PaymentFeature.AMOUNT_TO_AVG_RATIO, (float) (v.amountUsd / avgOrder));
        }
        if (!Double.isNaN(deviceAge)) {
            v.set(PaymentFeature.NEW_DEVICE, deviceAge < 1.0 ? 1f : 0f);
        }
        if (v.country != null && !r.getIpCountry().isEmpty()) {
            v.set(PaymentFeature.IP_COUNTRY_MISMATCH, v.country.equals(r.getIpCountry()) ? 0f : 1f);
        }
    }

    /** Merchant features are only expected when the request names a merchant. */
    private static boolean expected(PaymentFeature f, ScoreRequest r) {
        if (f == PaymentFeature.MERCHANT_CATEGORY || f == PaymentFeature.MERCHANT_FRAUD_RATE_90D) {
            return !r.getMerchantId().isEmpty();
        }
        return true;
    }

    private static long bit(PaymentFeature direct, String name) {
        if (direct != null) {
            return 1L << direct.ordinal();
        }
        return AVG_ORDER_AMOUNT.equals(name) ? 1L << 62 : 1L << 63;
    }

    private static double number(FeatureValue value) {
        return switch (value.getValueCase()) {
            case DOUBLE_VALUE -> value.getDoubleValue();
            case LONG_VALUE -> value.getLongValue();
            case BOOL_VALUE -> value.getBoolValue() ? 1.0 : 0.0;
            default -> Double.NaN;
        };
    }

    static String statusName(FeatureStatus status) {
        return switch (status) {
            case FEATURE_STATUS_MISSING -> "MISSING";
            case FEATURE_STATUS_STALE -> "STALE";
            case FEATURE_STATUS_DEFAULTED -> "DEFAULTED";
            case FEATURE_STATUS_VIOLATION -> "VIOLATION";
            default -> "MISSING";
        };
    }

    private static float mismatch(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Float.NaN;
        }
        return a.equals(b) ? 0f : 1f;
    }

    private static void code(FeatureVector v, PaymentFeature f, String label) {
        if (label == null) {
            return;
        }
        int c = f.definition().code(label);
        if (c >= 0) {
            v.set(f, c);
        }
    }
}
