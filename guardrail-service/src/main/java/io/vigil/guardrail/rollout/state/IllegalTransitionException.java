package io.vigil.guardrail.rollout.state;

/** An action the rollout's state does not allow (409). */
public class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(RolloutState from, String action) {
        super("state: cannot " + action + " a rollout that is " + from);
    }

    public IllegalTransitionException(String message) {
        super(message);
    }
}
