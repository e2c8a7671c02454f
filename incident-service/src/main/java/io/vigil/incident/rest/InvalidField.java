package io.vigil.incident.rest;

/** A request field the service refuses: 400 with a problem body naming it. */
public class InvalidField extends RuntimeException {

    private final String field;

    public InvalidField(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
