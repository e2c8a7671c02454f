package io.vigil.guardrail.aggregation;

import io.vigil.contracts.events.v1.DecisionAttributes;

/**
 * The attributes a decision is sliced by (cohorts, slice contributions), in a fixed order so that a projection can
 * keep them as a plain array. New attributes are appended, never reordered: stored projections depend on the order.
 */
public enum DecisionAttribute {
    COUNTRY("country"),
    REGION("region"),
    AGE_BAND("age"),
    CHANNEL("channel"),
    LOGIN_METHOD("login_method"),
    MERCHANT_ID("merchant"),
    MERCHANT_CATEGORY_CODE("mcc"),
    MERCHANT_CATEGORY("merchant_category"),
    DEVICE_ID("device"),
    CARD_BIN("bin"),
    CARD_ISSUER_COUNTRY("bin_country"),
    IP_COUNTRY("ip_country"),
    BILLING_COUNTRY("billing_country");

    private final String key;

    DecisionAttribute(String key) {
        this.key = key;
    }

    /** The name used in cohort expressions, e.g. {@code country=CA & age=18-24}. */
    public String key() {
        return key;
    }

    /** The attributes of a decision event in this enum's order. */
    static String[] of(DecisionAttributes a) {
        String[] v = new String[values().length];
        v[COUNTRY.ordinal()] = a.getCountry();
        v[REGION.ordinal()] = a.getRegion();
        v[AGE_BAND.ordinal()] = a.getCustomerAgeBand();
        v[CHANNEL.ordinal()] = a.getChannel();
        v[LOGIN_METHOD.ordinal()] = a.getLoginMethod();
        v[MERCHANT_ID.ordinal()] = a.getMerchantId();
        v[MERCHANT_CATEGORY_CODE.ordinal()] = a.getMerchantCategoryCode();
        v[MERCHANT_CATEGORY.ordinal()] = a.getMerchantCategory();
        v[DEVICE_ID.ordinal()] = a.getDeviceId();
        v[CARD_BIN.ordinal()] = a.getCardBin();
        v[CARD_ISSUER_COUNTRY.ordinal()] = a.getCardIssuerCountry();
        v[IP_COUNTRY.ordinal()] = a.getIpCountry();
        v[BILLING_COUNTRY.ordinal()] = a.getBillingCountry();
        return v;
    }
}
