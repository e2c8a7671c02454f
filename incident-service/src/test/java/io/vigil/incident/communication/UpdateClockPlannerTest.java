package io.vigil.incident.communication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UpdateClockPlannerTest {

    private static final Instant OPENED = Instant.parse("2026-11-29T09:00:00Z");
    private final UpdateClockPlanner planner = new UpdateClockPlanner(CadencePolicy.fromMinutes(Map.of(
            "executives", Map.of("sev1", 30, "sev2", 60),
            "public-status-page", Map.of("SEV1", 30, "sev4", 0))));

    private static IncidentFacts incident(String state, String severity) {
        return new IncidentFacts(UUID.randomUUID(), "t", state, severity, OPENED, OPENED, List.of(), null, null, null,
                null, null, null);
    }

    @Test
    void shouldBeDueOneCadenceAfterOpeningThenAfterTheLastUpdate() {
        var first = planner.plan(incident("INVESTIGATING", "SEV1"), Audience.EXECUTIVES, null).orElseThrow();
        assertEquals(Instant.parse("2026-11-29T09:30:00Z"), first.dueAt(), "seed 000: SEV1 executives at +30 min");
        assertEquals(Duration.ofMinutes(30), first.cadence());
        var afterUpdate = planner.plan(incident("MITIGATING", "SEV1"), Audience.EXECUTIVES,
                Instant.parse("2026-11-29T09:41:00Z")).orElseThrow();
        assertEquals(Instant.parse("2026-11-29T10:11:00Z"), afterUpdate.dueAt());
    }

    @Test
    void shouldReplanFromTheSameBaseWhenSeverityChanges() {
        Instant last = Instant.parse("2026-11-29T09:10:00Z");
        assertEquals(Instant.parse("2026-11-29T10:10:00Z"),
                planner.plan(incident("INVESTIGATING", "SEV2"), Audience.EXECUTIVES, last).orElseThrow().dueAt());
        assertEquals(Instant.parse("2026-11-29T09:40:00Z"),
                planner.plan(incident("INVESTIGATING", "SEV1"), Audience.EXECUTIVES, last).orElseThrow().dueAt());
    }

    @Test
    void shouldHaveNoClockWithoutACadenceOrOnceResolved() {
        assertTrue(planner.plan(incident("INVESTIGATING", "SEV3"), Audience.EXECUTIVES, null).isEmpty());
        assertTrue(planner.plan(incident("INVESTIGATING", "SEV1"), Audience.FINANCE, null).isEmpty());
        assertTrue(planner.plan(incident("INVESTIGATING", "SEV4"), Audience.PUBLIC_STATUS_PAGE, null).isEmpty(),
                "0 minutes means none");
        assertTrue(planner.plan(incident("RESOLVED", "SEV1"), Audience.EXECUTIVES, null).isEmpty());
        assertTrue(planner.plan(incident("CLOSED", "SEV1"), Audience.EXECUTIVES, null).isEmpty());
    }

    @Test
    void shouldRefuseUnknownAudiencesAndSeveritiesNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CadencePolicy.fromMinutes(Map.of("board", Map.of("sev1", 30))));
        assertTrue(e.getMessage().contains("vigil.communications.cadence.board"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CadencePolicy.fromMinutes(Map.of("executives", Map.of("sev9", 30))));
        assertTrue(e.getMessage().contains("sev9"), e.getMessage());
    }
}
