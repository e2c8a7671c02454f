package io.vigil.guardrail.rollout.state;

/** The rollout has no guardrail of this name (404, field {@code name}). */
public class GuardrailNotFoundException extends RuntimeException {

    public GuardrailNotFoundException(String rolloutId, String name) {
        super("rollout " + rolloutId + " has no guardrail '" + name + "'");
    }
}
