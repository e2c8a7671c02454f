package io.vigil.guardrail.rollout.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

class RolloutStateTest {

    @Test
    void allowsExactlyTheTransitionsOfTheMachine() {
        int allowed = 0;
        for (RolloutState from : RolloutState.values()) {
            for (RolloutState to : RolloutState.values()) {
                allowed += from.canBecome(to) ? 1 : 0;
            }
        }
        // PENDING 2, RUNNING 5, PAUSED 2, AWAITING_SIGN_OFF 4, ROLLING_BACK 2; the three ends none.
        assertEquals(15, allowed);
        assertTrue(RolloutState.RUNNING.canBecome(RolloutState.RUNNING));
        assertTrue(RolloutState.ROLLING_BACK.canBecome(RolloutState.ABORTED));
    }

    @Test
    void refusesIllegalTransitionsNamingTheState() {
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> RolloutState.ROLLED_BACK.to(RolloutState.RUNNING, "resume"));
        assertEquals("state: cannot resume a rollout that is ROLLED_BACK", e.getMessage());
        assertThrows(IllegalTransitionException.class, () -> RolloutState.PENDING.to(RolloutState.PAUSED, "pause"));
        assertThrows(IllegalTransitionException.class,
                () -> RolloutState.ROLLING_BACK.to(RolloutState.RUNNING, "promote"));
    }

    @Test
    void endsAreTerminalAndOnlyLiveStepsAreWatched() {
        assertEquals(EnumSet.of(RolloutState.ROLLED_BACK, RolloutState.COMPLETED, RolloutState.ABORTED),
                EnumSet.copyOf(java.util.Arrays.stream(RolloutState.values()).filter(RolloutState::terminal).toList()));
        assertEquals(EnumSet.of(RolloutState.RUNNING, RolloutState.PAUSED, RolloutState.AWAITING_SIGN_OFF),
                EnumSet.copyOf(java.util.Arrays.stream(RolloutState.values()).filter(RolloutState::watched).toList()));
        for (RolloutState s : RolloutState.values()) {
            assertEquals("ROLLOUT_STATE_" + s.name(), s.proto().name());
        }
    }
}
