package io.vigil.guardrail.rollout.plan;

/** A plan that cannot be run: {@code field} is the path of the offending input, e.g. {@code steps[2].share}. */
public class PlanValidationException extends RuntimeException {

    private final String field;

    public PlanValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
