package io.vigil.guardrail.analysis;

/** An analysis request that cannot be answered as asked; names the field so the REST layer can answer 400. */
public class InvalidAnalysisException extends IllegalArgumentException {

    private final String field;

    public InvalidAnalysisException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
