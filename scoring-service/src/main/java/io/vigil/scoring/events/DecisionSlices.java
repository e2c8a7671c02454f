package io.vigil.scoring.events;

import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.scoring.features.FeatureVector;

/**
 * The attributes a decision event carries for slicing (guardrails, cohort monitors), taken from the request and the
 * features as served, so no consumer ever joins against feature-service's database. Only copies: the labels were
 * already resolved while deriving the features, and a stored value that was not served OK stays unknown (empty), as
 * it was to the model.
 */
public final class DecisionSlices {

    private static final PaymentFeature CATEGORY = PaymentFeature.MERCHANT_CATEGORY;

    private DecisionSlices() {
    }

    public static DecisionAttributes of(ScoreRequest r, FeatureVector v) {
        DecisionAttributes.Builder a = DecisionAttributes.newBuilder()
                .setMerchantId(r.getMerchantId())
                .setMerchantCategoryCode(r.getMerchantCategoryCode())
                .setDeviceId(r.getDeviceId())
                .setCardBin(r.getCardBin())
                .setCardIssuerCountry(r.getCardBinCountry())
                .setIpCountry(r.getIpCountry())
                .setBillingCountry(r.getBillingCountry());
        if (v.country() != null) {
            a.setCountry(v.country());
        }
        if (v.region() != null) {
            a.setRegion(v.region());
        }
        if (v.ageBand() != null) {
            a.setCustomerAgeBand(v.ageBand());
        }
        if (v.channel() != null) {
            a.setChannel(v.channel());
        }
        if (v.loginMethod() != null) {
            a.setLoginMethod(v.loginMethod());
        }
        float category = v.get(CATEGORY);
        if (!Float.isNaN(category)) {
            a.setMerchantCategory(CATEGORY.definition().label(category));
        }
        if (!Double.isNaN(v.amountUsd())) {
            a.setAmountUsd(v.amountUsd());
        }
        return a.build();
    }
}
