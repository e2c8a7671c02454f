package io.vigil.training.predict;

/** A bad input row; the message names the line and the column. */
public final class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }
}
