package io.vigil.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vigil.scoring.model.ModelRegistry.Role;

class LineupPlanTest {

    private static final LineupPlan.Limits LIMITS = new LineupPlan.Limits(2, 1_000);
    private static final Map<String, Long> BYTES = Map.of("a", 100L, "b", 100L, "c", 100L, "d", 100L, "huge", 900L);

    private final LineupPlan championA = new LineupPlan("a", null, 0.0, List.of());

    @Test
    void shouldRefuseToLeaveNoChampionNamingTheVersionAndRole() {
        for (Role role : List.of(Role.SHADOW, Role.CHALLENGER, Role.RETIRED)) {
            ModelRegistrationException e = assertThrows(ModelRegistrationException.class,
                    () -> championA.activate("a", role, 0.5, LIMITS, BYTES));
            assertTrue(e.conflict(), role.name());
            assertEquals("role", e.field());
            assertEquals("role: activating a as " + role + " would leave no champion; make another version champion "
                    + "first", e.getMessage());
        }
    }

    @Test
    void shouldRetireTheDisplacedChampionAndEmptyTheSlotOfAPromotedChallenger() {
        LineupPlan withChallenger = championA.activate("b", Role.CHALLENGER, 0.25, LIMITS, BYTES);
        assertEquals(new LineupPlan("a", "b", 0.25, List.of()), withChallenger);

        LineupPlan promoted = withChallenger.activate("b", Role.CHAMPION, 0.0, LIMITS, BYTES);
        assertEquals(new LineupPlan("b", null, 0.0, List.of()), promoted);
        Map<String, Role> expected = new LinkedHashMap<>();
        expected.put("a", Role.RETIRED);
        expected.put("b", Role.CHAMPION);
        assertEquals(expected, promoted.changesFrom(withChallenger), "retirements first: one champion per statement");
    }

    @Test
    void shouldMoveAShadowToChallengerAndRetireTheOldChallenger() {
        LineupPlan before = new LineupPlan("a", "b", 0.1, List.of("c"));
        LineupPlan after = before.activate("c", Role.CHALLENGER, 0.5, LIMITS, BYTES);
        assertEquals(new LineupPlan("a", "c", 0.5, List.of()), after);
        assertEquals(Map.of("b", Role.RETIRED, "c", Role.CHALLENGER), after.changesFrom(before));
    }

    @Test
    void shouldRecordAChangedShareOfTheSameChallenger() {
        LineupPlan before = new LineupPlan("a", "b", 0.1, List.of());
        LineupPlan after = before.activate("b", Role.CHALLENGER, 0.0, LIMITS, BYTES);
        assertEquals(0.0, after.challengerShare());
        assertEquals(Map.of("b", Role.CHALLENGER), after.changesFrom(before));
    }

    @Test
    void shouldBoundShadowsAndMemory() {
        LineupPlan two = new LineupPlan("a", null, 0.0, List.of("b", "c"));
        ModelRegistrationException shadows = assertThrows(ModelRegistrationException.class,
                () -> two.activate("d", Role.SHADOW, 0.0, LIMITS, BYTES));
        assertTrue(shadows.conflict());
        assertTrue(shadows.getMessage().contains("would make 3 shadows, over the limit of 2"), shadows.getMessage());

        // 100 (a) + 900 (huge) = 1000 bytes is at the limit; with b as shadow it is 1100, over it.
        LineupPlan atLimit = championA.activate("huge", Role.CHALLENGER, 0.1, LIMITS, BYTES);
        assertEquals(1_000, atLimit.loadedBytes(BYTES));
        ModelRegistrationException memory = assertThrows(ModelRegistrationException.class,
                () -> atLimit.activate("b", Role.SHADOW, 0.0, LIMITS, BYTES));
        assertTrue(memory.getMessage().contains("would hold about 1 MiB of models in memory"), memory.getMessage());
        // Replacing a model by a smaller one is always allowed, even over a limit lowered since.
        LineupPlan tight = atLimit.activate("b", Role.CHALLENGER, 0.1, new LineupPlan.Limits(0, 10), BYTES);
        assertEquals(new LineupPlan("a", "b", 0.1, List.of()), tight);
    }

    @Test
    void shouldRefuseAShareOutsideZeroToOneAsBadInput() {
        ModelRegistrationException e = assertThrows(ModelRegistrationException.class,
                () -> championA.activate("b", Role.CHALLENGER, 1.5, LIMITS, BYTES));
        assertEquals("share", e.field());
        assertEquals(false, e.conflict());
    }
}
