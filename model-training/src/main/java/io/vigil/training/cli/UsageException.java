package io.vigil.training.cli;

/** The command line itself is wrong; the CLI prints the message and exits with status 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
