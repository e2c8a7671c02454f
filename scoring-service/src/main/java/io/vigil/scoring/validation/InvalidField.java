package io.vigil.scoring.validation;

/** Why a request was refused: the offending field (proto name) and what is wrong with it. */
public record InvalidField(String field, String problem) {

    /** Text for the INVALID_ARGUMENT status description; names the field first. */
    public String describe() {
        return field + ": " + problem;
    }
}
