package io.vigil.guardrail.rollout.state;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A rollout's states (those of vigil.events.v1.RolloutState) and the transitions between them, as data: {@link #to}
 * is the whole state machine. A transition not listed is refused (409), so an operator's "resume" of a rolled-back
 * rollout or a redelivered verdict cannot move it.
 */
public enum RolloutState {
    PENDING, RUNNING, PAUSED, AWAITING_SIGN_OFF, ROLLING_BACK, ROLLED_BACK, COMPLETED, ABORTED;

    private static final Map<RolloutState, Set<RolloutState>> NEXT = Map.of(
            // Nothing applied yet: start, or abort with nothing to restore.
            PENDING, EnumSet.of(RUNNING, ABORTED),
            // RUNNING -> RUNNING is a promotion to the next step.
            RUNNING, EnumSet.of(RUNNING, PAUSED, AWAITING_SIGN_OFF, ROLLING_BACK, COMPLETED),
            PAUSED, EnumSet.of(RUNNING, ROLLING_BACK),
            AWAITING_SIGN_OFF, EnumSet.of(RUNNING, PAUSED, ROLLING_BACK, COMPLETED),
            // The restore is applied: rolled back after a verdict, aborted after an operator's abort.
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, ABORTED),
            ROLLED_BACK, EnumSet.noneOf(RolloutState.class),
            COMPLETED, EnumSet.noneOf(RolloutState.class),
            ABORTED, EnumSet.noneOf(RolloutState.class));

    /** @throws IllegalTransitionException when the machine has no such transition */
    public void to(RolloutState next, String action) {
        if (!NEXT.get(this).contains(next)) {
            throw new IllegalTransitionException(this, action);
        }
    }

    public boolean canBecome(RolloutState next) {
        return NEXT.get(this).contains(next);
    }

    /** Over: the line-up is what it will stay (restored, or the target promoted). */
    public boolean terminal() {
        return NEXT.get(this).isEmpty();
    }

    /** The rollout holds its target: a second rollout of the same target is refused meanwhile. */
    public boolean active() {
        return !terminal();
    }

    /** The guardrails are watched on the stream in this state. */
    public boolean watched() {
        return this == RUNNING || this == PAUSED || this == AWAITING_SIGN_OFF;
    }

    public io.vigil.contracts.events.v1.RolloutState proto() {
        return io.vigil.contracts.events.v1.RolloutState.valueOf("ROLLOUT_STATE_" + name());
    }
}
