package io.vigil.features.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureSetParserTest {

    @Test
    void shouldLoadTheCheckoutFeaturesV1SetAgreedWithScoring() {
        FeatureSet fs = ContractFixtures.checkoutV1();
        assertEquals("checkout-features@1", fs.id());
        assertEquals(List.of("account_age_days", "login_method", "customer_age_band", "country", "region",
                "txn_count_1h", "txn_count_24h", "amount_sum_24h", "email_age_days", "email_domain_free",
                "prior_chargebacks", "distinct_cards_24h", "prior_orders", "avg_order_amount", "password_reset_7d",
                "merchant_category", "merchant_fraud_rate_90d", "device_age_days"),
                fs.features().stream().map(FeatureContract::name).toList());
        assertEquals(15, fs.featuresOf(EntityKind.ACCOUNT).size());
        assertEquals(2, fs.featuresOf(EntityKind.MERCHANT).size());
        assertEquals(1, fs.featuresOf(EntityKind.DEVICE).size());

        FeatureContract age = fs.feature("account_age_days").orElseThrow();
        assertEquals(FeatureType.LONG, age.type());
        assertEquals("days", age.unit());
        assertEquals(new FeatureContract.Range(0.0, 36500.0, false, false), age.range());
        assertEquals(List.of(0L), age.sentinels());
        assertEquals(Duration.ofDays(2), age.freshness());
        assertFalse(age.nullable());

        FeatureContract country = fs.feature("country").orElseThrow();
        assertEquals(List.of(""), country.sentinels());
        assertEquals(10, country.allowedValues().size());
        assertTrue(fs.feature("avg_order_amount").orElseThrow().range().minExclusive());
        assertEquals(List.of("password", "social"), fs.feature("login_method").orElseThrow().allowedValues());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no name        | version: 1\\nfeatures: [{name: a, entity: account, type: long, freshness: PT1H}]| feature_set",
            "bad version    | feature_set: s\\nversion: 0\\nfeatures: [{name: a, entity: account, type: long, freshness: PT1H}]| version",
            "no features    | feature_set: s\\nversion: 1\\nfeatures: []| features",
            "unknown type   | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: int, freshness: PT1H}]| features[0].type",
            "unknown entity | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: user, type: long, freshness: PT1H}]| features[0].entity",
            "bad freshness  | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: long, freshness: 1h}]| features[0].freshness",
            "enum no values | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: enum, freshness: PT1H}]| features[0].values",
            "range on bool  | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: bool, range: {min: 0}, freshness: PT1H}]| features[0].range",
            "min above max  | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: long, range: {min: 5, max: 1}, freshness: PT1H}]| features[0].range",
            "bad sentinel   | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: long, sentinels: [x], freshness: PT1H}]| features[0].sentinels[0]",
            "duplicate      | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: long, freshness: PT1H}, {name: a, entity: account, type: long, freshness: PT1H}]| features[1].name",
            "unknown key    | feature_set: s\\nversion: 1\\nfeatures: [{name: a, entity: account, type: long, freshness: PT1H, colour: red}]| features[0].colour",
            "not yaml       | feature_set: [unclosed| (document)",
    })
    void shouldRejectAnInvalidContractNamingTheField(String title, String yaml, String field) {
        InvalidContractException e = assertThrows(InvalidContractException.class,
                () -> new FeatureSetParser().parse(yaml.replace("\\n", "\n")));
        assertEquals(field, e.field(), e.getMessage());
    }
}
