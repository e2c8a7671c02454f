package io.vigil.guardrail.evaluation;

import io.vigil.guardrail.statistics.ArmComparison.Direction;

/**
 * What a guardrail can watch, and how it is judged. The numerator and denominator of each rate are defined where
 * decisions and outcomes are aggregated; here each metric says which statistic is valid for it and which direction
 * hurts customers or the business.
 */
public enum GuardrailMetric {
    /** Approved decisions per decision. */
    APPROVAL_RATE(Statistic.RATE, Direction.LOWER_IS_WORSE),
    DECLINE_RATE(Statistic.RATE, Direction.HIGHER_IS_WORSE),
    STEP_UP_RATE(Statistic.RATE, Direction.HIGHER_IS_WORSE),
    REVIEW_RATE(Statistic.RATE, Direction.HIGHER_IS_WORSE),
    /** Completed orders per checkout decided. */
    CONVERSION(Statistic.RATE, Direction.LOWER_IS_WORSE),
    /** Passed step-ups per step-up: conditional on the decision, so judged per arm. */
    STEP_UP_PASS_RATE(Statistic.PER_ARM_RATE, Direction.LOWER_IS_WORSE),
    STEP_UP_ABANDON_RATE(Statistic.PER_ARM_RATE, Direction.HIGHER_IS_WORSE),
    /** Decisions that fell back per decision. */
    FALLBACK_RATE(Statistic.RATE, Direction.HIGHER_IS_WORSE),
    /** Fraud among approved payments of matured vintages: rare and conditional, judged per arm. */
    INCORRECT_APPROVAL_RATE(Statistic.PER_ARM_RATE, Direction.HIGHER_IS_WORSE),
    /** Fraud chargebacks per approved payment: rare, exact. */
    CHARGEBACK_RATE(Statistic.PER_ARM_RATE, Direction.HIGHER_IS_WORSE),
    /** Score's p99 server time. */
    SCORE_P99_LATENCY(Statistic.QUANTILE, Direction.HIGHER_IS_WORSE),
    /**
     * Reviews per period the rollout sends to the review queue (decided REVIEW, both arms, at a share), against the
     * queue's capacity per period.
     */
    REVIEW_QUEUE_LOAD(Statistic.LOAD, Direction.HIGHER_IS_WORSE),
    /** Step-ups (3-D Secure / OTP, each one costs) per period, against the step-up budget per period. */
    STEP_UP_BUDGET(Statistic.LOAD, Direction.HIGHER_IS_WORSE);

    /** Which confidence sequence judges the metric. */
    public enum Statistic {
        /** A rate over all decisions: the AIPW difference sequence across ramp steps (the share is the assignment rate). */
        RATE,
        /**
         * A rate judged with an exact beta-binomial sequence on each arm: for rare events (never a normal approximation)
         * and for rates conditional on the decision (step-up pass rate), whose exposure is not assigned at the share.
         */
        PER_ARM_RATE,
        /** A latency quantile: order-statistic sequences per arm. */
        QUANTILE,
        /**
         * Events per period against a capacity: each arm's rate (exact sequence) times the decisions observed per
         * period, projected at the current share, the next step's and all traffic.
         */
        LOAD
    }

    private final Statistic statistic;
    private final Direction badDirection;

    GuardrailMetric(Statistic statistic, Direction badDirection) {
        this.statistic = statistic;
        this.badDirection = badDirection;
    }

    public Statistic statistic() {
        return statistic;
    }

    public Direction badDirection() {
        return badDirection;
    }

    /** Whether the metric's events are labels that arrive long after the decision, judged on mature vintages only. */
    public boolean labelDelayed() {
        return this == INCORRECT_APPROVAL_RATE;
    }

    /** Whether the metric may be judged against a ceiling on the treatment arm's rate instead of against control. */
    public boolean takesCeiling() {
        return this == CHARGEBACK_RATE;
    }

    /** The quantile a QUANTILE metric watches. */
    public double quantile() {
        if (statistic != Statistic.QUANTILE) {
            throw new IllegalStateException(this + " is not a quantile");
        }
        return 0.99;
    }
}
