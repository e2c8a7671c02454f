package io.vigil.guardrail.rollout.plan;

import java.time.Duration;
import java.util.Locale;

/**
 * A limit a guardrail is judged against instead of the control arm, as a plan writes it: a capacity (events per
 * period: {@code capacity: 1200, period: 1h} for REVIEW_QUEUE_LOAD and STEP_UP_BUDGET) or a ceiling on the treatment
 * arm's rate ({@code ceiling: 0.9%} or {@code 90bp} for CHARGEBACK_RATE). {@code value} is in the evaluator's units:
 * events per period, or a fraction (0.9% = 0.009); {@code period} is null for a ceiling.
 */
public record Limit(double value, Duration period, String text) {

    public static Limit capacity(double perPeriod, Duration period) {
        return new Limit(perPeriod, period, number(perPeriod) + " per " + periodText(period));
    }

    /** @throws IllegalArgumentException saying what is wrong, in words fit for a problem body */
    public static Limit ceiling(String text) {
        String t = text.strip();
        double factor;
        String number;
        if (t.endsWith("%")) {
            factor = 0.01;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("bp")) {
            factor = 0.0001;
            number = t.substring(0, t.length() - 2);
        } else {
            throw new IllegalArgumentException("'" + text + "' has no unit; write it with one (% or bp), e.g. 0.9%");
        }
        double value;
        try {
            value = Double.parseDouble(number.strip()) * factor;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number followed by % or bp");
        }
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException("must be a rate above 0% and below 100%, got '" + text + "'");
        }
        return new Limit(value, null, t);
    }

    public boolean isCapacity() {
        return period != null;
    }

    /** A period as plans write it: 1h, 30m, 1d, 90s. */
    public static String periodText(Duration period) {
        long s = period.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    @Override
    public String toString() {
        return text;
    }
}
