package io.vigil.scoring.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.DecisionAttributes;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.scoring.features.FeatureDeriver;
import io.vigil.scoring.features.FeatureVector;

class DecisionSlicesTest {

    private final FeatureDeriver deriver = new FeatureDeriver();

    private static ScoreRequest request() {
        return ScoreRequest.newBuilder().setTransactionId("t").setAccountId("a").setMerchantId("m-7")
                .setMerchantCategoryCode("5411").setChannel(Channel.CHANNEL_VOICE).setDeviceId("d-3")
                .setAmount(Money.newBuilder().setAmountMinor(10_000).setCurrency("CAD"))
                .setCardBin("45006012").setCardBinCountry("US").setIpCountry("GB").setBillingCountry("CA").build();
    }

    private static ServedFeature served(String name, String label, FeatureStatus status) {
        return ServedFeature.newBuilder().setName(name).setStatus(status)
                .setValue(FeatureValue.newBuilder().setStringValue(label)).build();
    }

    @Test
    void shouldCarryTheRequestAndTheServedLabels() {
        ScoreRequest r = request();
        FeatureVector v = deriver.fromRequest(r, 0);
        deriver.applyStored(v, GetFeaturesResponse.newBuilder().addAllFeatures(List.of(
                served("country", "CA", FeatureStatus.FEATURE_STATUS_OK),
                served("region", "NA", FeatureStatus.FEATURE_STATUS_OK),
                served("customer_age_band", "18-24", FeatureStatus.FEATURE_STATUS_OK),
                served("login_method", "social", FeatureStatus.FEATURE_STATUS_OK),
                served("merchant_category", "grocery", FeatureStatus.FEATURE_STATUS_OK))).build(), r);

        DecisionAttributes a = DecisionSlices.of(r, v);
        // 100.00 CAD at 0.73 USD per CAD = 73.00 USD.
        assertEquals(73.0, a.getAmountUsd(), 1e-9);
        assertEquals(DecisionAttributes.newBuilder().setCountry("CA").setRegion("NA").setCustomerAgeBand("18-24")
                .setChannel("voice").setLoginMethod("social").setMerchantId("m-7").setMerchantCategoryCode("5411")
                .setMerchantCategory("grocery").setDeviceId("d-3").setCardBin("45006012").setCardIssuerCountry("US")
                .setIpCountry("GB").setBillingCountry("CA").build(), a.toBuilder().clearAmountUsd().build());
    }

    @Test
    void shouldLeaveUntrustedAndUnconvertibleAttributesUnknown() {
        ScoreRequest r = request().toBuilder().setAmount(Money.newBuilder().setAmountMinor(500).setCurrency("CHF"))
                .build();
        FeatureVector v = deriver.fromRequest(r, 0);
        deriver.applyStored(v, GetFeaturesResponse.newBuilder()
                .addFeatures(served("customer_age_band", "18-24", FeatureStatus.FEATURE_STATUS_DEFAULTED))
                .addFeatures(served("country", "CA", FeatureStatus.FEATURE_STATUS_OK)).build(), r);

        DecisionAttributes a = DecisionSlices.of(r, v);
        assertEquals("", a.getCustomerAgeBand(), "a DEFAULTED band was not trusted by the model, nor here");
        assertEquals("", a.getMerchantCategory(), "not served");
        assertEquals("CA", a.getCountry());
        assertFalse(a.hasAmountUsd(), "CHF has no indicative rate");
    }
}
