package io.vigil.guardrail.rollout.scoring;

/** scoring-service did not answer, or answered with an error this service cannot fix by itself (503 to operators). */
public class ScoringUnavailableException extends RuntimeException {

    public ScoringUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
