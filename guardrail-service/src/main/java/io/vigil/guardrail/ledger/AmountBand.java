package io.vigil.guardrail.ledger;

/**
 * Payment amounts in bands for slicing (USD): fraud concentrates at the high end and a merchant's "small test
 * charges" at the low end, so a handful of bands says more than a histogram. The labels are what analyses print and
 * what a {@code amount_band=...} cohort term names.
 */
public final class AmountBand {

    /** The band labels, low to high. */
    public static final java.util.List<String> LABELS = java.util.List.of("<25", "25-100", "100-500", "500-2000",
            ">=2000");

    private AmountBand() {
    }

    /** The band of an amount in USD; '' when the amount is unknown (currency without a rate). */
    public static String of(Double amountUsd) {
        if (amountUsd == null || amountUsd.isNaN()) {
            return "";
        }
        double a = amountUsd;
        if (a < 25) {
            return "<25";
        }
        if (a < 100) {
            return "25-100";
        }
        if (a < 500) {
            return "100-500";
        }
        if (a < 2000) {
            return "500-2000";
        }
        return ">=2000";
    }
}
