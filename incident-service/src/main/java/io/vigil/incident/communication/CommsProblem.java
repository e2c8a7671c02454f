package io.vigil.incident.communication;

/** A communications request refused: rendered as an RFC 7807 problem body naming the field. */
public class CommsProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    public CommsProblem(int status, String title, String field, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public static CommsProblem badField(String field, String detail) {
        return new CommsProblem(400, "Invalid request field", field, field + ": " + detail);
    }

    public static CommsProblem notFound(String field, String detail) {
        return new CommsProblem(404, "Not found", field, detail);
    }

    public static CommsProblem conflict(String field, String detail) {
        return new CommsProblem(409, "Conflict", field, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }
}
