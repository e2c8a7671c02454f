package io.vigil.guardrail.analysis;

/** An analysis request that cannot be answered as asked; names the field so the REST layer can answer 400. */
public class InvalidAnalysisException extends IllegalArgumentException {

    private final String field;

    public InvalidAnalysisException(String field, String problem) {
        super(field + ": " + printable(problem));
        this.field = field;
    }

    /**
     * The message quotes what the caller sent; control characters and surrogates become '?' so that the problem body
     * is always printable, valid UTF-8 (a lone surrogate would fail the JSON writer: a 500 instead of the 400).
     */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString();
    }

    public String field() {
        return field;
    }
}
