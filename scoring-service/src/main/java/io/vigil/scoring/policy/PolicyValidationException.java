package io.vigil.scoring.policy;

/** A policy that cannot be accepted; names the field so the REST layer can say which one. */
public final class PolicyValidationException extends RuntimeException {

    private final String field;

    public PolicyValidationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
