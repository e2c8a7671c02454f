package io.vigil.incident.communication;

import io.quarkus.qute.TemplateData;

/**
 * An incident's measured impact at one moment, as communications quote it.
 *
 * @param excessHarmedLow  lower bound of the excess harmed transactions' confidence interval
 * @param excessHarmedHigh upper bound of it
 * @param moneyAtStake     USD
 * @param checkoutShare    share of checkout affected, in [0, 1]
 */
@TemplateData
public record ImpactFigures(double excessHarmedLow, double excessHarmedHigh, double moneyAtStake,
        double checkoutShare) {

    public static ImpactFigures of(IncidentFacts incident) {
        return new ImpactFigures(nz(incident.excessHarmedLow()), nz(incident.excessHarmedHigh()),
                nz(incident.moneyAtStake()), nz(incident.checkoutShare()));
    }

    private static double nz(Double d) {
        return d == null || d.isNaN() ? 0 : d;
    }

    /**
     * Direction since {@code before}, judged on the intervals: rising when the new interval lies wholly above the
     * old, falling when wholly below, otherwise no significant change (overlapping intervals do not show one).
     */
    public String trendSince(ImpactFigures before) {
        if (excessHarmedLow > before.excessHarmedHigh) {
            return "rising";
        }
        if (excessHarmedHigh < before.excessHarmedLow) {
            return "falling";
        }
        return "no significant change";
    }
}
