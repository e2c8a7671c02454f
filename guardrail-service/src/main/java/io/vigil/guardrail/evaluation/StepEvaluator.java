package io.vigil.guardrail.evaluation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every guardrail's evidence on a step into the step's verdict. The order is the order of harm: a rollback
 * breach wins over everything; a broken traffic split (sample-ratio mismatch) makes every comparison untrustworthy, so
 * it holds; an alert-only breach holds; a limit the next step would surely exceed (the review queue's capacity, the
 * step-up budget) holds, naming it, at any point of the step; a step only promotes when every guardrail has passed, with its exposure, and
 * the minimum duration is over. "Not enough evidence yet" is a HOLD that names what is missing, never a pass.
 */
public final class StepEvaluator {

    private StepEvaluator() {
    }

    public static StepVerdict evaluate(boolean minimumDurationElapsed, String sampleRatioMismatch,
            List<GuardrailAssessment> evidence) {
        List<GuardrailAssessment> rollbacks = evidence.stream()
                .filter(e -> e.breached() && e.guardrail().action() == GuardrailAction.ROLLBACK).toList();
        if (!rollbacks.isEmpty()) {
            return new StepVerdict(StepVerdict.Kind.ROLLBACK, "breached: " + describe(rollbacks), evidence);
        }
        if (sampleRatioMismatch != null) {
            return new StepVerdict(StepVerdict.Kind.HOLD, "sample ratio mismatch: " + sampleRatioMismatch, evidence);
        }
        List<GuardrailAssessment> alerts = evidence.stream().filter(GuardrailAssessment::breached).toList();
        if (!alerts.isEmpty()) {
            return new StepVerdict(StepVerdict.Kind.HOLD, "breached (alert only): " + describe(alerts), evidence);
        }
        List<GuardrailAssessment> overloads = evidence.stream().filter(e -> e.blocksPromotion() != null).toList();
        if (!overloads.isEmpty()) {
            return new StepVerdict(StepVerdict.Kind.HOLD, "promotion would exceed a limit: " + overloads.stream()
                    .map(e -> e.guardrail().name() + " (" + e.blocksPromotion() + ")")
                    .collect(Collectors.joining("; ")), evidence);
        }
        if (!minimumDurationElapsed) {
            return new StepVerdict(StepVerdict.Kind.CONTINUE, "minimum step duration not over", evidence);
        }
        List<GuardrailAssessment> open = evidence.stream().filter(e -> !e.passed()).toList();
        if (!open.isEmpty()) {
            return new StepVerdict(StepVerdict.Kind.HOLD, "insufficient evidence: " + open.stream()
                    .map(e -> e.guardrail().name() + " (" + e.missing() + ")").collect(Collectors.joining("; ")),
                    evidence);
        }
        return new StepVerdict(StepVerdict.Kind.PROMOTE_STEP, "all " + evidence.size() + " guardrails passed",
                evidence);
    }

    private static String describe(List<GuardrailAssessment> breaches) {
        return breaches.stream().map(e -> String.format("%s (harm %s, margin %s)", e.guardrail().name(), e.harm(),
                e.guardrail().margin())).collect(Collectors.joining("; "));
    }
}
