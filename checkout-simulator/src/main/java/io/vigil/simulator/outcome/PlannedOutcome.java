package io.vigil.simulator.outcome;

import java.time.Instant;

import io.vigil.contracts.events.v1.OutcomeKind;

/**
 * An outcome the simulated payment systems will report at event time {@code at}.
 *
 * @param withAmount whether the outcome concerns the payment's amount (authorization, order, chargeback, report)
 * @param producer   the simulated system that reports it
 */
public record PlannedOutcome(OutcomeKind kind, Instant at, boolean withAmount, String producer) {
}
