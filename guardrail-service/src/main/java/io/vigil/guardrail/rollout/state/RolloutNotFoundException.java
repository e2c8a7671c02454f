package io.vigil.guardrail.rollout.state;

/** No rollout with this id (404). */
public class RolloutNotFoundException extends RuntimeException {

    public RolloutNotFoundException(String id) {
        super("no rollout '" + id + "'");
    }
}
