package io.vigil.incident.severity;

/**
 * Measured impact of an incident (or of one alarm series in it).
 *
 * @param excessHarmedLow  CI lower bound of the excess harmed transactions (false declines, incorrect approvals)
 * @param excessHarmedHigh CI upper bound
 * @param moneyAtStake     excess harmed (lower bound) x average ticket
 * @param checkoutShare    share of checkout traffic affected, in [0, 1]
 * @param slaBreached      a service-level objective (e.g. the review queue's SLA) is breached
 */
public record Impact(double excessHarmedLow, double excessHarmedHigh, double moneyAtStake, double checkoutShare,
        boolean slaBreached) {

    public static final Impact NONE = new Impact(0, 0, 0, 0, false);

    /** Impacts of distinct series add up (they harm distinct transactions); the share is capped at all of checkout. */
    public Impact plus(Impact other) {
        return new Impact(excessHarmedLow + other.excessHarmedLow, excessHarmedHigh + other.excessHarmedHigh,
                moneyAtStake + other.moneyAtStake, Math.min(1.0, checkoutShare + other.checkoutShare),
                slaBreached || other.slaBreached);
    }
}
