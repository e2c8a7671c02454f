package io.vigil.incident.communication;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What communications read of an incident (the {@code incident} table, owned by the incident core), as one value.
 * Impact figures are null until the severity evaluation has measured them.
 *
 * @param excessHarmedLow  lower bound of the excess harmed transactions' confidence interval
 * @param excessHarmedHigh upper bound of it
 * @param moneyAtStake     in USD
 * @param checkoutShare    share of checkout affected, in [0, 1]
 */
public record IncidentFacts(UUID id, String title, String state, String severity, Instant openedAt,
        Instant lastEventAt, List<String> components, Double excessHarmedLow, Double excessHarmedHigh,
        Double moneyAtStake, Double checkoutShare, Instant resolvedAt, Instant closedAt) {

    public boolean active() {
        return !"RESOLVED".equals(state) && !"CLOSED".equals(state);
    }
}
