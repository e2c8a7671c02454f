package io.vigil.scoring.fallback;

import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.scoring.features.FeatureVector;

/**
 * The conservative decision used when the model cannot decide in time (features late or unavailable, model error,
 * overload, budget gone). It never declines and never sends to manual review (a review queue fed by an outage would
 * flood): it approves, or steps up (3-D Secure / OTP) when a payment looks riskier by simple request facts:
 * <ul>
 *   <li>amount at or above the configured USD threshold, or an amount in a currency without a known rate;</li>
 *   <li>billing country differs from the IP country;</li>
 *   <li>card issuing country differs from the billing country.</li>
 * </ul>
 * A customer asked to step up can still pay; a fraudster usually cannot.
 */
public final class FallbackRule {

    private final double stepUpAmountUsd;

    public FallbackRule(double stepUpAmountUsd) {
        this.stepUpAmountUsd = stepUpAmountUsd;
    }

    public Decision decide(FeatureVector v) {
        double amount = v.amountUsd();
        if (Double.isNaN(amount) || amount >= stepUpAmountUsd) {
            return Decision.DECISION_STEP_UP;
        }
        if (v.get(PaymentFeature.BILLING_IP_COUNTRY_MISMATCH) == 1f
                || v.get(PaymentFeature.CARD_BIN_COUNTRY_MISMATCH) == 1f) {
            return Decision.DECISION_STEP_UP;
        }
        return Decision.DECISION_APPROVE;
    }
}
