package io.vigil.scoring.model;

/** A model registration or activation that cannot be accepted; names the field. */
public final class ModelRegistrationException extends RuntimeException {

    private final String field;
    private final boolean conflict;

    public ModelRegistrationException(String field, String message, boolean conflict) {
        super(message);
        this.field = field;
        this.conflict = conflict;
    }

    public String field() {
        return field;
    }

    public boolean conflict() {
        return conflict;
    }
}
