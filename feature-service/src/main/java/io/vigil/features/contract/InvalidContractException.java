package io.vigil.features.contract;

/** A contract file or body that does not describe a valid feature set; names the offending field path. */
public class InvalidContractException extends RuntimeException {

    private final String field;

    public InvalidContractException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
