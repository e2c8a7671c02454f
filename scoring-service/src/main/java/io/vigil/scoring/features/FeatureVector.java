package io.vigil.scoring.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.vigil.contracts.scoring.v1.FeatureIssue;
import io.vigil.riskmodel.catalog.PaymentFeature;

/**
 * One call's model input in the feature contract's canonical order ({@link PaymentFeature} order), NaN for missing,
 * plus what the cohort policy needs and the features feature-service could not vouch for. Owned by one call.
 */
public final class FeatureVector {

    public static final int WIDTH = PaymentFeature.values().length;

    final float[] values = new float[WIDTH];
    private List<FeatureIssue> issues;

    /** Amount in USD, NaN when the currency has no known rate. */
    double amountUsd = Double.NaN;
    /** Cohort attributes, as labels; null when unknown. */
    String country;
    String region;
    String ageBand;
    String loginMethod;
    String channel;

    FeatureVector() {
        Arrays.fill(values, Float.NaN);
    }

    public float[] values() {
        return values;
    }

    public float get(PaymentFeature f) {
        return values[f.ordinal()];
    }

    void set(PaymentFeature f, float v) {
        values[f.ordinal()] = v;
    }

    void issue(String feature, String status) {
        if (issues == null) {
            issues = new ArrayList<>(4);
        }
        issues.add(FeatureIssue.newBuilder().setFeature(feature).setStatus(status).build());
    }

    public List<FeatureIssue> issues() {
        return issues == null ? List.of() : issues;
    }

    public double amountUsd() {
        return amountUsd;
    }

    public String country() {
        return country;
    }

    public String region() {
        return region;
    }

    public String ageBand() {
        return ageBand;
    }

    public String loginMethod() {
        return loginMethod;
    }

    public String channel() {
        return channel;
    }
}
