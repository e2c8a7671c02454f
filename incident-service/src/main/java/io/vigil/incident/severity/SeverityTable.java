package io.vigil.incident.severity;

import io.vigil.incident.config.IncidentConfig;
import io.vigil.incident.incident.Severity;

/**
 * The documented mapping from impact to severity (figures from {@link IncidentConfig.SeverityTable}): the worst level
 * any criterion reaches. The excess harmed count is judged by its CI lower bound, so a level is reached only when the
 * data show at least that much harm, not when an early, wide interval merely allows it.
 */
public record SeverityTable(Level sev1, Level sev2, Level sev3, Severity slaBreachAtLeast) {

    /** The figures at or above which a level is reached. */
    public record Level(double excessHarmed, double moneyAtStake, double checkoutShare) {

        boolean reachedBy(Impact impact) {
            return impact.excessHarmedLow() >= excessHarmed || impact.moneyAtStake() >= moneyAtStake
                    || impact.checkoutShare() >= checkoutShare;
        }
    }

    public static SeverityTable from(IncidentConfig.SeverityTable c) {
        return new SeverityTable(new Level(c.sev1ExcessHarmed(), c.sev1MoneyAtStake(), c.sev1CheckoutShare()),
                new Level(c.sev2ExcessHarmed(), c.sev2MoneyAtStake(), c.sev2CheckoutShare()),
                new Level(c.sev3ExcessHarmed(), c.sev3MoneyAtStake(), c.sev3CheckoutShare()), c.slaBreachAtLeast());
    }

    public Severity classify(Impact impact) {
        Severity byFigures = sev1.reachedBy(impact) ? Severity.SEV1
                : sev2.reachedBy(impact) ? Severity.SEV2
                : sev3.reachedBy(impact) ? Severity.SEV3
                : Severity.SEV4;
        return impact.slaBreached() ? Severity.worst(byFigures, slaBreachAtLeast) : byFigures;
    }

    /** Why the impact reached its level, in words for the timeline. */
    public String explain(Impact impact) {
        Severity s = classify(impact);
        return String.format(java.util.Locale.ROOT,
                "%s: excess harmed [%.0f, %.0f], money at stake %.0f, checkout share %.4f%s", s,
                impact.excessHarmedLow(), impact.excessHarmedHigh(), impact.moneyAtStake(), impact.checkoutShare(),
                impact.slaBreached() ? ", SLA breached" : "");
    }
}
