package io.vigil.scoring.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.scoring.features.FeatureDeriver;

class FallbackRuleTest {

    final FallbackRule rule = new FallbackRule(500.0);
    final FeatureDeriver deriver = new FeatureDeriver();

    Decision decide(long minor, String currency, String bin, String ip, String billing) {
        ScoreRequest r = ScoreRequest.newBuilder().setTransactionId("t").setAccountId("a")
                .setAmount(Money.newBuilder().setAmountMinor(minor).setCurrency(currency))
                .setMerchantCategoryCode("5411").setChannel(Channel.CHANNEL_WEB)
                .setCardBinCountry(bin).setIpCountry(ip).setBillingCountry(billing).build();
        return rule.decide(deriver.fromRequest(r, 0));
    }

    @Test
    void shouldApproveOrdinaryPaymentsAndStepUpRiskyOnesNeverDeclineOrReview() {
        assertEquals(Decision.DECISION_APPROVE, decide(499_99, "USD", "US", "US", "US"));
        assertEquals(Decision.DECISION_STEP_UP, decide(500_00, "USD", "US", "US", "US"), "at the amount threshold");
        // 400 GBP at 1.27 USD = 508 USD
        assertEquals(Decision.DECISION_STEP_UP, decide(400_00, "GBP", "GB", "GB", "GB"));
        // 60,000 JPY has no minor unit: 60,000 * 0.0067 = 402 USD
        assertEquals(Decision.DECISION_APPROVE, decide(60_000, "JPY", "JP", "JP", "JP"));
        assertEquals(Decision.DECISION_STEP_UP, decide(10_00, "USD", "US", "DE", "US"), "billing vs IP country");
        assertEquals(Decision.DECISION_STEP_UP, decide(10_00, "USD", "GB", "US", "US"), "card BIN vs billing country");
        assertEquals(Decision.DECISION_APPROVE, decide(10_00, "USD", "", "", ""), "unknown countries are no mismatch");
        assertEquals(Decision.DECISION_STEP_UP, decide(10_00, "CHF", "CH", "CH", "CH"), "no rate: amount unknown");
    }
}
