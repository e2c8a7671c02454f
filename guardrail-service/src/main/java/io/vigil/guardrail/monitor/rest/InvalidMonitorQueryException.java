package io.vigil.guardrail.monitor.rest;

/** A query parameter that cannot be used (400, naming it). */
class InvalidMonitorQueryException extends RuntimeException {

    private final String field;

    InvalidMonitorQueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
