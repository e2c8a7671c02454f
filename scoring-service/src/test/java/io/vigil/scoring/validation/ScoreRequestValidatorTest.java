package io.vigil.scoring.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.Timestamp;

import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;

class ScoreRequestValidatorTest {

    final ScoreRequestValidator validator = new ScoreRequestValidator();

    static ScoreRequest.Builder valid() {
        return ScoreRequest.newBuilder().setTransactionId("tx-1").setAccountId("a-1")
                .setAmount(Money.newBuilder().setAmountMinor(12_345).setCurrency("EUR"))
                .setMerchantId("m-1").setMerchantCategoryCode("5411").setChannel(Channel.CHANNEL_APP)
                .setCardBinCountry("DE").setIpCountry("FR").setBillingCountry("DE").setBillingRegion("BY")
                .setDeviceId("d-1");
    }

    @Test
    void shouldAcceptAValidRequestAndOptionalFieldsLeftOut() {
        assertNull(validator.validate(valid().build()));
        assertNull(validator.validate(valid().setCardBin("411111").build()), "6-digit BIN");
        assertNull(validator.validate(valid().setCardBin("41111111").build()), "8-digit BIN");
        assertNull(validator.validate(valid().clearCardBinCountry().clearIpCountry().clearBillingCountry()
                .clearBillingRegion().clearDeviceId().clearMerchantId().build()));
        assertNull(validator.validate(valid().setAmount(Money.newBuilder().setAmountMinor(1).setCurrency("JPY")).build()));
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                of("transaction_id", b -> b.clearTransactionId()),
                of("transaction_id", b -> b.setTransactionId("x".repeat(129))),
                of("account_id", b -> b.clearAccountId()),
                of("amount", b -> b.clearAmount()),
                of("amount.amount_minor", b -> b.setAmount(Money.newBuilder().setCurrency("USD"))),
                of("amount.amount_minor", b -> b.setAmount(Money.newBuilder().setAmountMinor(-1).setCurrency("USD"))),
                of("amount.amount_minor", b -> b.setAmount(Money.newBuilder().setAmountMinor(10_000_000_001L).setCurrency("USD"))),
                of("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(1))),
                of("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(1).setCurrency("Usd"))),
                of("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(1).setCurrency("USDX"))),
                of("amount.currency", b -> b.setAmount(Money.newBuilder().setAmountMinor(1).setCurrency("QQQ"))),
                of("merchant_category_code", b -> b.clearMerchantCategoryCode()),
                of("merchant_category_code", b -> b.setMerchantCategoryCode("54111")),
                of("merchant_category_code", b -> b.setMerchantCategoryCode("54a1")),
                of("channel", b -> b.clearChannel()),
                of("channel", b -> b.setChannelValue(9)),
                of("card_bin_country", b -> b.setCardBinCountry("D")),
                of("card_bin", b -> b.setCardBin("41111")),
                of("card_bin", b -> b.setCardBin("4111111111111111")),
                of("card_bin", b -> b.setCardBin("4111a1")),
                of("ip_country", b -> b.setIpCountry("XX")),
                of("billing_country", b -> b.setBillingCountry("de")),
                of("billing_region", b -> b.setBillingRegion("by")),
                of("billing_region", b -> b.setBillingRegion("ABCD")),
                of("avs_result", b -> b.setAvsResultValue(17)),
                of("cvv_result", b -> b.setCvvResultValue(17)),
                of("shipping_billing_distance_km", b -> b.setShippingBillingDistanceKm(-1)),
                of("shipping_billing_distance_km", b -> b.setShippingBillingDistanceKm(Double.NaN)),
                of("created_at", b -> b.setCreatedAt(Timestamp.newBuilder().setSeconds(1).setNanos(-1))));
    }

    static Arguments of(String field, UnaryOperator<ScoreRequest.Builder> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void shouldNameTheOffendingField(String field, UnaryOperator<ScoreRequest.Builder> change) {
        InvalidField problem = validator.validate(change.apply(valid()).build());
        assertNotNull(problem);
        assertEquals(field, problem.field());
    }
}
