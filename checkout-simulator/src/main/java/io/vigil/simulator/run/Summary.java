package io.vigil.simulator.run;

import java.util.Map;

import io.vigil.simulator.publish.OutcomeBuffer;

/**
 * What a run did.
 *
 * @param decisions           by decision as the checkout acted on it (Score's answer, or its own fallback)
 * @param fallbacks           Score answers flagged as fallback, by cause
 * @param errors              Score calls that failed (the checkout fell back to step-up), by gRPC status
 * @param outcomesBeyondEnd   outcomes whose event time lies after the end of the run, not emitted (no --labels-now)
 * @param simulatedSpeed      simulated seconds per wall second actually reached
 * @param maxSendLagMillis    how late the latest Score call left against its schedule (the simulator's own delay)
 */
public record Summary(long payments, Map<String, Long> decisions, Map<String, Long> fallbacks,
        Map<String, Long> errors, long outcomesPlanned, long outcomesBeyondEnd, OutcomeBuffer.Counts outcomes,
        long featureUpdatesApplied, long featureValuesFlagged, long featureValuesRejected, long featureCallsFailed, double wallSeconds, double paymentsPerSecond,
        double simulatedSpeed, long maxSendLagMillis, double latencyP50Millis, double latencyP99Millis,
        long featurePauses) {
}
