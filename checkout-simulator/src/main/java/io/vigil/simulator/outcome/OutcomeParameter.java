package io.vigil.simulator.outcome;

import java.util.Locale;

/**
 * Every rate and delay of the simulated payment systems, with its default. A scenario may override any of them
 * ({@code outcome_rates:} by the lower-case name). Probabilities are per payment that reaches the step; delays are
 * log-normal with the given median and shape (sigma of the log), so a few are much later than the median.
 */
public enum OutcomeParameter {

    /** The issuer declines a genuine payment the checkout approved (insufficient funds, limits). */
    ISSUER_DECLINE_GENUINE(0.03),
    /** The issuer declines a fraudulent one (its own fraud checks catch some). */
    ISSUER_DECLINE_FRAUD(0.12),
    AUTH_DELAY_MEDIAN_SECONDS(2),
    /** An authorized customer still leaves before the order completes. */
    ORDER_ABANDON(0.015),
    ORDER_DELAY_MEDIAN_SECONDS(60),

    /** A genuine customer gives up on the challenge: depends on the channel (an OTP by phone is rarely abandoned). */
    STEP_UP_ABANDON_WEB(0.07),
    STEP_UP_ABANDON_APP(0.05),
    STEP_UP_ABANDON_VOICE(0.01),
    /** A genuine customer fails the challenge (wrong code, timeout). */
    STEP_UP_FAIL_GENUINE(0.02),
    /** A fraudster passes the challenge (phished OTP, SIM swap); most fail or abandon. */
    STEP_UP_PASS_FRAUD(0.08),
    STEP_UP_ABANDON_FRAUD(0.37),
    STEP_UP_DELAY_MEDIAN_SECONDS(45),

    /** The review desk rejects fraud it is shown, and some genuine payments. */
    REVIEW_REJECT_FRAUD(0.85),
    REVIEW_REJECT_GENUINE(0.06),
    REVIEW_DELAY_MEDIAN_MINUTES(120),

    /** A completed fraudulent order comes back as a fraud chargeback (some victims never notice). */
    CHARGEBACK_FRAUD(0.88),
    /** "Friendly fraud": a genuine order disputed as fraud. */
    CHARGEBACK_GENUINE(0.002),
    /**
     * Chargeback delay: log-normal, median 42 days, sigma 0.35, drawn again until it lies in [5, 120] days; about
     * two thirds fall within 30-60 days, a thin tail reaches 120.
     */
    CHARGEBACK_DELAY_MEDIAN_DAYS(42),
    CHARGEBACK_DELAY_SIGMA(0.35),
    CHARGEBACK_DELAY_MIN_DAYS(5),
    CHARGEBACK_DELAY_MAX_DAYS(120),
    /** The card holder reports a completed fraud before any chargeback. */
    FRAUD_REPORTED(0.25),
    FRAUD_REPORT_DELAY_MEDIAN_DAYS(4),

    /** Shape of the short delays (auth, order, step-up, review, fraud report). */
    SHORT_DELAY_SIGMA(0.5);

    private final double defaultValue;

    OutcomeParameter(double defaultValue) {
        this.defaultValue = defaultValue;
    }

    public double defaultValue() {
        return defaultValue;
    }

    /** The name a scenario file uses. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the parameters that are probabilities (must lie in [0, 1]). */
    public boolean probability() {
        return !name().contains("DELAY") && this != SHORT_DELAY_SIGMA;
    }

    public static OutcomeParameter byKey(String key) {
        for (OutcomeParameter p : values()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        return null;
    }
}
