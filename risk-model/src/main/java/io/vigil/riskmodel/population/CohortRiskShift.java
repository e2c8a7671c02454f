package io.vigil.riskmodel.population;

/**
 * Seed scenario knob: fraud in one cohort becomes more (or less) likely. The true fraud probability of each row in the
 * cohort is multiplied by {@code riskMultiplier} (capped at 1), so the cohort's fraud rate scales by the same factor:
 * CA, 18-24 at 2.0% becomes 3.1% with 1.55.
 */
public record CohortRiskShift(Cohort cohort, double riskMultiplier) {

    public CohortRiskShift {
        if (!(riskMultiplier >= 0.0) || Double.isInfinite(riskMultiplier)) {
            throw new IllegalArgumentException("risk multiplier must be a finite non-negative number, got "
                    + riskMultiplier);
        }
    }

    /** Parses {@code cohort:multiplier}, e.g. {@code country=CA,customer_age_band=18-24:1.55}. */
    public static CohortRiskShift parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("cohort risk '" + text + "' is not cohort:multiplier");
        }
        double multiplier;
        try {
            multiplier = Double.parseDouble(text.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cohort risk multiplier in '" + text + "' is not a number");
        }
        return new CohortRiskShift(Cohort.parse(text.substring(0, colon)), multiplier);
    }
}
