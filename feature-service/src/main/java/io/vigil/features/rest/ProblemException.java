package io.vigil.features.rest;

/**
 * A request the service refuses, rendered as an RFC 7807 problem body naming the offending field.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;
    private final transient Object extension;

    public ProblemException(int status, String title, String field, String detail) {
        this(status, title, field, detail, null);
    }

    /**
     * @param extension extra members for the body (e.g. the breaking changes of a refused contract); may be null
     */
    public ProblemException(int status, String title, String field, String detail, Object extension) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.extension = extension;
    }

    public static ProblemException badField(String field, String detail) {
        return new ProblemException(400, "Invalid request field", field, field + ": " + detail);
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

    public Object extension() {
        return extension;
    }
}
