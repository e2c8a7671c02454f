package io.vigil.scoring.policy;

import java.util.List;

import com.google.protobuf.Timestamp;

import io.vigil.contracts.scoring.v1.AvsResult;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.CvvResult;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.population.PaymentBatch;
import io.vigil.riskmodel.population.PopulationConfig;
import io.vigil.riskmodel.population.PopulationGenerator;

/**
 * Checkout requests of first-time customers: the request-time facts of synthetic population rows (amount, channel,
 * countries, hour, AVS/CVV, prepaid, proxy, shipping distance), for accounts, devices and merchants feature-service has
 * never seen, so every stored feature is MISSING.
 */
final class FirstTimeCustomers {

    private static final List<String> COUNTRIES = PaymentFeature.COUNTRY.definition().levels();

    private FirstTimeCustomers() {
    }

    static ScoreRequest[] requests(long seed, int n) {
        PaymentBatch b = new PopulationGenerator(PopulationConfig.baseline(seed)).generate(0, n);
        ScoreRequest[] out = new ScoreRequest[n];
        for (int i = 0; i < n; i++) {
            String country = COUNTRIES.get((int) b.feature(i, PaymentFeature.COUNTRY));
            String other = COUNTRIES.get(((int) b.feature(i, PaymentFeature.COUNTRY) + 3) % COUNTRIES.size());
            int channel = (int) b.feature(i, PaymentFeature.CHANNEL);
            ScoreRequest.Builder r = ScoreRequest.newBuilder().setTransactionId("first-" + i)
                    .setAccountId("never-seen-account-" + i).setMerchantId("never-seen-merchant-" + i)
                    .setDeviceId("never-seen-device-" + i)
                    .setAmount(Money.newBuilder().setCurrency("USD")
                            .setAmountMinor(Math.round(b.feature(i, PaymentFeature.AMOUNT) * 100.0)))
                    .setMerchantCategoryCode("5411")
                    .setChannel(channel == 0 ? Channel.CHANNEL_WEB : channel == 1 ? Channel.CHANNEL_APP
                            : Channel.CHANNEL_VOICE)
                    .setBillingCountry(country)
                    .setCardBinCountry(b.feature(i, PaymentFeature.CARD_BIN_COUNTRY_MISMATCH) == 1f ? other : country)
                    .setCreatedAt(Timestamp.newBuilder().setSeconds(b.eventTime(i)));
            if (channel != 2) {
                r.setIpCountry(b.feature(i, PaymentFeature.BILLING_IP_COUNTRY_MISMATCH) == 1f ? other : country);
                r.setProxyIp(b.feature(i, PaymentFeature.PROXY_IP) == 1f);
            }
            r.setAvsResult(AvsResult.forNumber(1 + (int) b.feature(i, PaymentFeature.AVS_RESULT)));
            r.setCvvResult(CvvResult.forNumber(1 + (int) b.feature(i, PaymentFeature.CVV_RESULT)));
            if (!Float.isNaN(b.feature(i, PaymentFeature.PREPAID_CARD))) {
                r.setPrepaidCard(b.feature(i, PaymentFeature.PREPAID_CARD) == 1f);
            }
            float distance = b.feature(i, PaymentFeature.SHIPPING_BILLING_DISTANCE_KM);
            if (!Float.isNaN(distance)) {
                r.setShippingBillingDistanceKm(distance);
            }
            out[i] = r.build();
        }
        return out;
    }
}
