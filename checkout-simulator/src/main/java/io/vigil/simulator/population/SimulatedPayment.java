package io.vigil.simulator.population;

import java.time.Instant;

import io.vigil.contracts.scoring.v1.ScoreRequest;

/**
 * One checkout of the simulation with its ground truth.
 *
 * @param row              population row (stable id within a seed)
 * @param features         the real feature values (what the truth follows), {@code PaymentFeature} order
 * @param emitted          what upstream producers send feature-service: the real values with the world's
 *                         defaulted fields applied
 * @param fraudProbability true fraud probability, after the world's cohort risk shifts
 * @param fraud            the ground truth label
 */
public record SimulatedPayment(long row, Instant createdAt, ScoreRequest request, float[] features, float[] emitted,
        double fraudProbability, boolean fraud, String country, String ageBand, String channel, String loginMethod) {

    public String transactionId() {
        return request.getTransactionId();
    }

    public String accountId() {
        return request.getAccountId();
    }
}
