package io.vigil.guardrail.statistics;

/**
 * One error budget for a whole rollout: the probability that ANY of its guardrails rolls back a change that harms
 * nothing, over the rollout's whole life and however often it is evaluated, is at most {@code alpha}.
 *
 * <p>The correction is Bonferroni over guardrails, then over the two arms of each: each guardrail gets alpha / m,
 * and each arm's confidence sequence alpha / (2 m). Because every sequence is time-uniform, the union bound covers all
 * looks at once (no alpha spending per look is needed), and it holds under any dependence between the guardrails
 * (they share decisions: conversion and step-up rate move together). It is conservative when guardrails are
 * independent; the family-wise rate is measured by simulation in the tests.
 */
public record ErrorBudget(double alpha, int guardrails) {

    public ErrorBudget {
        BernoulliConfidenceSequence.checkAlpha(alpha);
        if (guardrails < 1) {
            throw new IllegalArgumentException("a rollout needs at least one guardrail, got " + guardrails);
        }
    }

    /** The level each guardrail's comparison is run at. */
    public double perGuardrail() {
        return alpha / guardrails;
    }

    /** The level of each arm's confidence sequence. */
    public double perArmSequence() {
        return alpha / (2.0 * guardrails);
    }
}
