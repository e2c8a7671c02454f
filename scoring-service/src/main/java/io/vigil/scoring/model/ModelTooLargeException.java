package io.vigil.scoring.model;

/** A model upload or file over {@code scoring.models.max-upload-bytes}: answered with 413, naming the limit. */
public final class ModelTooLargeException extends RuntimeException {

    private final String field;

    public ModelTooLargeException(String field, long size, long limit) {
        super(field + ": the model is " + size + " bytes, over the limit of " + limit
                + " bytes (scoring.models.max-upload-bytes)");
        this.field = field;
    }

    public String field() {
        return field;
    }
}
