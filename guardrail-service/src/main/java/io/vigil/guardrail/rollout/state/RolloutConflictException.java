package io.vigil.guardrail.rollout.state;

/** The request conflicts with what exists (409), e.g. a second active rollout of the same target. */
public class RolloutConflictException extends RuntimeException {

    private final String field;

    public RolloutConflictException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
