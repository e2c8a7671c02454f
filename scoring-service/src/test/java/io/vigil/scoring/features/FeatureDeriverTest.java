package io.vigil.scoring.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Timestamp;

import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.contracts.scoring.v1.AvsResult;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.CvvResult;
import io.vigil.contracts.scoring.v1.FeatureIssue;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.catalog.PaymentFeature;

class FeatureDeriverTest {

    final FeatureDeriver deriver = new FeatureDeriver();

    static ScoreRequest request() {
        return ScoreRequest.newBuilder().setTransactionId("t").setAccountId("a").setMerchantId("m").setDeviceId("d")
                .setAmount(Money.newBuilder().setAmountMinor(150_00).setCurrency("CAD"))
                .setMerchantCategoryCode("5411").setChannel(Channel.CHANNEL_APP)
                .setCardBinCountry("US").setIpCountry("US").setBillingCountry("CA")
                // 2024-01-01T13:30:00Z
                .setCreatedAt(Timestamp.newBuilder().setSeconds(1_704_115_800L))
                .setAvsResult(AvsResult.AVS_RESULT_NO_MATCH).setCvvResult(CvvResult.CVV_RESULT_MATCH)
                .setProxyIp(true)
                .build();
    }

    static ServedFeature ok(String name, FeatureValue v) {
        return ServedFeature.newBuilder().setName(name).setStatus(FeatureStatus.FEATURE_STATUS_OK).setValue(v).build();
    }

    static FeatureValue l(long v) {
        return FeatureValue.newBuilder().setLongValue(v).build();
    }

    static FeatureValue d(double v) {
        return FeatureValue.newBuilder().setDoubleValue(v).build();
    }

    static FeatureValue s(String v) {
        return FeatureValue.newBuilder().setStringValue(v).build();
    }

    @Test
    void shouldDeriveRequestFeaturesInTheContractsEncoding() {
        FeatureVector v = deriver.fromRequest(request(), 0);
        assertEquals(150 * 0.73f, v.get(PaymentFeature.AMOUNT), 1e-3);
        assertEquals(1f, v.get(PaymentFeature.CURRENCY), "CAD is level 1");
        assertEquals(1f, v.get(PaymentFeature.CHANNEL), "app is level 1");
        assertEquals(1f, v.get(PaymentFeature.BILLING_IP_COUNTRY_MISMATCH), "billing CA, IP US");
        assertEquals(1f, v.get(PaymentFeature.CARD_BIN_COUNTRY_MISMATCH), "BIN US, billing CA");
        assertEquals(13f, v.get(PaymentFeature.HOUR_OF_DAY));
        assertEquals(2f, v.get(PaymentFeature.AVS_RESULT), "no_match is level 2");
        assertEquals(0f, v.get(PaymentFeature.CVV_RESULT));
        assertEquals(1f, v.get(PaymentFeature.PROXY_IP));
        assertTrue(Float.isNaN(v.get(PaymentFeature.PREPAID_CARD)), "not sent: missing");
        assertTrue(Float.isNaN(v.get(PaymentFeature.SHIPPING_BILLING_DISTANCE_KM)));
        assertTrue(Float.isNaN(v.get(PaymentFeature.ACCOUNT_AGE_DAYS)), "stored features wait for feature-service");
        assertEquals("app", v.channel());
        assertNull(v.country());
    }

    @Test
    void shouldApplyStoredFeaturesAndKeepUntrustedOnesMissing() {
        ScoreRequest r = request();
        FeatureVector v = deriver.fromRequest(r, 0);
        GetFeaturesResponse response = GetFeaturesResponse.newBuilder().addAllFeatures(List.of(
                ok("account_age_days", l(3)), ok("login_method", s("social")), ok("customer_age_band", s("18-24")),
                ok("country", s("CA")), ok("region", s("NA")), ok("txn_count_1h", l(4)),
                ServedFeature.newBuilder().setName("txn_count_24h").setStatus(FeatureStatus.FEATURE_STATUS_STALE)
                        .setValue(l(99)).build(),
                ok("amount_sum_24h", d(300.5)),
                ServedFeature.newBuilder().setName("email_age_days").setStatus(FeatureStatus.FEATURE_STATUS_DEFAULTED)
                        .setValue(l(0)).build(),
                ok("email_domain_free", FeatureValue.newBuilder().setBoolValue(true).build()),
                ok("prior_chargebacks", l(0)), ok("distinct_cards_24h", l(2)), ok("prior_orders", l(5)),
                ok("avg_order_amount", d(54.75)), ok("password_reset_7d", FeatureValue.newBuilder().setBoolValue(false).build()),
                ok("merchant_category", s("gift_cards")), ok("merchant_fraud_rate_90d", d(0.02)),
                ok("device_age_days", l(0)),
                ok("unrelated_feature", l(1)))).build();
        deriver.applyStored(v, response, r);

        assertEquals(3f, v.get(PaymentFeature.ACCOUNT_AGE_DAYS));
        assertEquals(1f, v.get(PaymentFeature.LOGIN_METHOD), "social");
        assertEquals(0f, v.get(PaymentFeature.CUSTOMER_AGE_BAND), "18-24");
        assertEquals(1f, v.get(PaymentFeature.COUNTRY), "CA");
        assertEquals(0f, v.get(PaymentFeature.REGION), "NA");
        assertTrue(Float.isNaN(v.get(PaymentFeature.TXN_COUNT_24H)), "STALE: missing, not 99");
        assertTrue(Float.isNaN(v.get(PaymentFeature.EMAIL_AGE_DAYS)), "DEFAULTED: missing, not 0");
        assertEquals(1f, v.get(PaymentFeature.EMAIL_DOMAIN_FREE));
        assertEquals(2f, v.get(PaymentFeature.MERCHANT_CATEGORY), "gift_cards");
        assertEquals(0.02f, v.get(PaymentFeature.MERCHANT_FRAUD_RATE_90D));
        // 109.5 USD / 54.75 USD = 2.0
        assertEquals(2f, v.get(PaymentFeature.AMOUNT_TO_AVG_RATIO), 1e-5);
        assertEquals(1f, v.get(PaymentFeature.NEW_DEVICE), "device 0 days old");
        assertEquals(1f, v.get(PaymentFeature.IP_COUNTRY_MISMATCH), "account CA, IP US");
        assertEquals(List.of(issue("txn_count_24h", "STALE"), issue("email_age_days", "DEFAULTED")), v.issues());
        assertEquals("CA", v.country());
        assertEquals("18-24", v.ageBand());
        assertEquals("social", v.loginMethod());
    }

    @Test
    void shouldListStoredFeaturesTheAnswerLacksAsMissing() {
        ScoreRequest r = request();
        FeatureVector v = deriver.fromRequest(r, 0);
        deriver.applyStored(v, GetFeaturesResponse.newBuilder().addFeatures(ok("country", s("Atlantis"))).build(), r);
        assertTrue(v.issues().contains(issue("country", "VIOLATION")), "unknown label");
        assertTrue(v.issues().contains(issue("account_age_days", "MISSING")));
        assertTrue(v.issues().contains(issue("device_age_days", "MISSING")));
        assertTrue(v.issues().contains(issue("merchant_category", "MISSING")));
        assertEquals(18, v.issues().size(), "15 direct + avg_order_amount + device_age_days not served, country VIOLATION");
        assertTrue(Float.isNaN(v.get(PaymentFeature.IP_COUNTRY_MISMATCH)), "account country unknown");
    }

    static FeatureIssue issue(String feature, String status) {
        return FeatureIssue.newBuilder().setFeature(feature).setStatus(status).build();
    }
}
