package io.vigil.incident.incident;

/**
 * A refused change to an incident, with the HTTP status it maps to (404 unknown, 409 not allowed in its state) and the
 * request field it concerns.
 */
public class IncidentProblem extends RuntimeException {

    private final int status;
    private final String field;

    public IncidentProblem(int status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    public static IncidentProblem notFound(Object id) {
        return new IncidentProblem(404, "id", "no incident " + id);
    }

    public static IncidentProblem conflict(String field, String detail) {
        return new IncidentProblem(409, field, detail);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
