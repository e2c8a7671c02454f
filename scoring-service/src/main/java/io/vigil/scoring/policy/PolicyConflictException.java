package io.vigil.scoring.policy;

/** A policy version that already exists. */
public final class PolicyConflictException extends RuntimeException {

    public PolicyConflictException(String message) {
        super(message);
    }
}
