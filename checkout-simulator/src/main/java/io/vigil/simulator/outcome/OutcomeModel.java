package io.vigil.simulator.outcome;

import static io.vigil.simulator.outcome.OutcomeParameter.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.scoring.v1.Decision;

/**
 * What the payment systems report after a decision, drawn from the ground truth and the documented rates
 * ({@link OutcomeParameter}), each outcome at its own delay:
 * <pre>
 * APPROVE  -> AUTHORIZED | AUTH_DECLINED (issuer);  AUTHORIZED -> ORDER_COMPLETED | ORDER_ABANDONED;
 *             ORDER_COMPLETED -> [FRAUD_REPORTED] [CHARGEBACK_FRAUD]   (fraud mostly; "friendly fraud" rarely)
 * STEP_UP  -> STEP_UP_PASSED -> the APPROVE path | STEP_UP_FAILED | STEP_UP_ABANDONED
 *             (genuine: abandonment by channel, a small failure rate, and the world's breakage turning passes into
 *             failures; fraud: mostly fails or abandons)
 * REVIEW   -> REVIEW_APPROVED -> the APPROVE path | REVIEW_REJECTED
 * DECLINE  -> nothing: no payment system learns anything more
 * </pre>
 * The list is in event-time order. Pure: the same random stream gives the same plan.
 */
public final class OutcomeModel {

    static final String ORDERS = "checkout-simulator/order-system";
    static final String ISSUER = "checkout-simulator/issuer";
    static final String STEP_UP = "checkout-simulator/step-up";
    static final String REVIEW = "checkout-simulator/review-desk";
    static final String CHARGEBACKS = "checkout-simulator/chargeback-feed";
    static final String SUPPORT = "checkout-simulator/customer-support";

    private final OutcomeRates rates;

    public OutcomeModel(OutcomeRates rates) {
        this.rates = rates;
    }

    /**
     * @param createdAt the payment's event time
     * @param channel   "web", "app" or "voice"
     * @param breakage  the world's step-up breakage for the channel
     */
    public List<PlannedOutcome> plan(Instant createdAt, Decision decision, boolean fraud, String channel,
            double breakage, SplittableRandom rnd) {
        List<PlannedOutcome> out = new ArrayList<>(4);
        switch (decision) {
            case DECISION_APPROVE -> approve(createdAt, fraud, rnd, out);
            case DECISION_STEP_UP -> {
                Instant t = createdAt.plus(shortDelay(STEP_UP_DELAY_MEDIAN_SECONDS, 1, rnd));
                OutcomeKind k = stepUp(fraud, channel, breakage, rnd);
                out.add(new PlannedOutcome(k, t, false, STEP_UP));
                if (k == OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED) {
                    approve(t, fraud, rnd, out);
                }
            }
            case DECISION_REVIEW -> {
                Instant t = createdAt.plus(shortDelay(REVIEW_DELAY_MEDIAN_MINUTES, 60, rnd));
                boolean reject = rnd.nextDouble() < rates.get(fraud ? REVIEW_REJECT_FRAUD : REVIEW_REJECT_GENUINE);
                out.add(new PlannedOutcome(reject ? OutcomeKind.OUTCOME_KIND_REVIEW_REJECTED
                        : OutcomeKind.OUTCOME_KIND_REVIEW_APPROVED, t, false, REVIEW));
                if (!reject) {
                    approve(t, fraud, rnd, out);
                }
            }
            default -> {
                // DECLINE (and anything unknown): the payment ends here.
            }
        }
        out.sort((a, b) -> a.at().compareTo(b.at()));
        return out;
    }

    /** Step-up result for a customer in {@code channel}. */
    OutcomeKind stepUp(boolean fraud, String channel, double breakage, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double broken = rnd.nextDouble();
        if (fraud) {
            double pass = rates.get(STEP_UP_PASS_FRAUD);
            double abandon = rates.get(STEP_UP_ABANDON_FRAUD);
            return u < pass ? OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED
                    : u < pass + abandon ? OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED
                    : OutcomeKind.OUTCOME_KIND_STEP_UP_FAILED;
        }
        double abandon = rates.get(switch (channel) {
            case "app" -> STEP_UP_ABANDON_APP;
            case "voice" -> STEP_UP_ABANDON_VOICE;
            default -> STEP_UP_ABANDON_WEB;
        });
        if (u < abandon) {
            return OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED;
        }
        if (u < abandon + rates.get(STEP_UP_FAIL_GENUINE) || broken < breakage) {
            return OutcomeKind.OUTCOME_KIND_STEP_UP_FAILED;
        }
        return OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED;
    }

    private void approve(Instant from, boolean fraud, SplittableRandom rnd, List<PlannedOutcome> out) {
        Instant auth = from.plus(shortDelay(AUTH_DELAY_MEDIAN_SECONDS, 1, rnd));
        boolean declined = rnd.nextDouble() < rates.get(fraud ? ISSUER_DECLINE_FRAUD : ISSUER_DECLINE_GENUINE);
        out.add(new PlannedOutcome(declined ? OutcomeKind.OUTCOME_KIND_AUTH_DECLINED : OutcomeKind.OUTCOME_KIND_AUTHORIZED,
                auth, true, ISSUER));
        if (declined) {
            return;
        }
        Instant order = auth.plus(shortDelay(ORDER_DELAY_MEDIAN_SECONDS, 1, rnd));
        boolean abandoned = rnd.nextDouble() < rates.get(ORDER_ABANDON);
        out.add(new PlannedOutcome(abandoned ? OutcomeKind.OUTCOME_KIND_ORDER_ABANDONED
                : OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED, order, true, ORDERS));
        if (abandoned) {
            return;
        }
        boolean chargeback = rnd.nextDouble() < rates.get(fraud ? CHARGEBACK_FRAUD : CHARGEBACK_GENUINE);
        double chargebackDays = chargebackDelayDays(rnd);
        if (chargeback) {
            out.add(new PlannedOutcome(OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD, order.plus(days(chargebackDays)),
                    true, CHARGEBACKS));
        }
        if (fraud && rnd.nextDouble() < rates.get(FRAUD_REPORTED)) {
            double reportDays = rates.get(FRAUD_REPORT_DELAY_MEDIAN_DAYS)
                    * Math.exp(rates.get(SHORT_DELAY_SIGMA) * rnd.nextGaussian());
            // A card holder who reports does so before the network's chargeback arrives.
            out.add(new PlannedOutcome(OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED,
                    order.plus(days(chargeback ? Math.min(reportDays, 0.9 * chargebackDays) : reportDays)), true,
                    SUPPORT));
        }
    }

    /**
     * A chargeback delay in days: log-normal (median, sigma), drawn again until it lies within [min, max] days: a
     * truncated log-normal.
     */
    public double chargebackDelayDays(SplittableRandom rnd) {
        double median = rates.get(CHARGEBACK_DELAY_MEDIAN_DAYS);
        double sigma = rates.get(CHARGEBACK_DELAY_SIGMA);
        double min = rates.get(CHARGEBACK_DELAY_MIN_DAYS);
        double max = rates.get(CHARGEBACK_DELAY_MAX_DAYS);
        for (int i = 0; i < 1000; i++) {
            double d = median * Math.exp(sigma * rnd.nextGaussian());
            if (d >= min && d <= max) {
                return d;
            }
        }
        return median;
    }

    private Duration shortDelay(OutcomeParameter median, long unitSeconds, SplittableRandom rnd) {
        double seconds = rates.get(median) * unitSeconds * Math.exp(rates.get(SHORT_DELAY_SIGMA) * rnd.nextGaussian());
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    private static Duration days(double d) {
        return Duration.ofMillis(Math.round(d * 86_400_000));
    }
}
