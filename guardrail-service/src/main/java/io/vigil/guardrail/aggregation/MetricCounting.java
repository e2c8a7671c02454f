package io.vigil.guardrail.aggregation;

import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.guardrail.aggregation.state.DecisionProjection;
import io.vigil.guardrail.evaluation.GuardrailMetric;

/**
 * What counts toward each guardrail metric's denominator (exposure) and numerator (events), from a decision and from
 * an outcome joined to it. Both are attributed to the decision's event time, so a bucket's rate compares like with
 * like however late its outcomes arrive.
 *
 * <table>
 *   <tr><th>metric</th><th>exposure: decisions that</th><th>event</th></tr>
 *   <tr><td>approval / decline / step-up / review rate</td><td>all</td><td>decided so</td></tr>
 *   <tr><td>review-queue load / step-up budget</td><td>all</td><td>decided REVIEW / STEP_UP</td></tr>
 *   <tr><td>fallback rate</td><td>all</td><td>fell back</td></tr>
 *   <tr><td>conversion</td><td>all</td><td>ORDER_COMPLETED followed</td></tr>
 *   <tr><td>step-up pass / abandon rate</td><td>stepped up</td><td>STEP_UP_PASSED / STEP_UP_ABANDONED followed</td></tr>
 *   <tr><td>incorrect approval rate</td><td>approved</td><td>CHARGEBACK_FRAUD or FRAUD_REPORTED followed</td></tr>
 *   <tr><td>chargeback rate</td><td>approved</td><td>CHARGEBACK_FRAUD followed</td></tr>
 * </table>
 * A latency guardrail is exposed to every decision that carries Score's server time (DecisionMade.timings.total_us);
 * its latency goes into the arm's histogram, not into an event count.
 */
public final class MetricCounting {

    private MetricCounting() {
    }

    /** Does this decision count toward the metric's exposure? */
    public static boolean exposed(GuardrailMetric m, DecisionProjection d) {
        return switch (m) {
            case STEP_UP_PASS_RATE, STEP_UP_ABANDON_RATE -> d.getDecision() == Decision.DECISION_STEP_UP_VALUE;
            case INCORRECT_APPROVAL_RATE, CHARGEBACK_RATE -> d.getDecision() == Decision.DECISION_APPROVE_VALUE;
            case SCORE_P99_LATENCY -> d.getScoreLatencyMicros() > 0;
            default -> true;
        };
    }

    /** Is the decision itself an event of the metric (rates decided at scoring time)? */
    public static boolean eventAtDecision(GuardrailMetric m, DecisionProjection d) {
        return switch (m) {
            case APPROVAL_RATE -> d.getDecision() == Decision.DECISION_APPROVE_VALUE;
            case DECLINE_RATE -> d.getDecision() == Decision.DECISION_DECLINE_VALUE;
            case STEP_UP_RATE, STEP_UP_BUDGET -> d.getDecision() == Decision.DECISION_STEP_UP_VALUE;
            case REVIEW_RATE, REVIEW_QUEUE_LOAD -> d.getDecision() == Decision.DECISION_REVIEW_VALUE;
            case FALLBACK_RATE -> d.getFallback();
            default -> false;
        };
    }

    /** Is this outcome, following this decision, an event of the metric? */
    public static boolean eventAtOutcome(GuardrailMetric m, DecisionProjection d, int outcomeKind) {
        if (m.statistic() == GuardrailMetric.Statistic.QUANTILE || !exposed(m, d)) {
            return false;
        }
        return switch (m) {
            case CONVERSION -> outcomeKind == OutcomeKind.OUTCOME_KIND_ORDER_COMPLETED_VALUE;
            case STEP_UP_PASS_RATE -> outcomeKind == OutcomeKind.OUTCOME_KIND_STEP_UP_PASSED_VALUE;
            case STEP_UP_ABANDON_RATE -> outcomeKind == OutcomeKind.OUTCOME_KIND_STEP_UP_ABANDONED_VALUE;
            case INCORRECT_APPROVAL_RATE -> outcomeKind == OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD_VALUE
                    || outcomeKind == OutcomeKind.OUTCOME_KIND_FRAUD_REPORTED_VALUE;
            case CHARGEBACK_RATE -> outcomeKind == OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD_VALUE;
            default -> false;
        };
    }
}
