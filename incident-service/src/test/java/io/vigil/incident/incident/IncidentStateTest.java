package io.vigil.incident.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class IncidentStateTest {

    @Test
    void theUsualPathIsAllowed() {
        List<IncidentState> path = List.of(IncidentState.DETECTED, IncidentState.INVESTIGATING, IncidentState.MITIGATING,
                IncidentState.MONITORING, IncidentState.RESOLVED, IncidentState.CLOSED);
        for (int k = 1; k < path.size(); k++) {
            assertTrue(path.get(k - 1).canMoveTo(path.get(k)), path.get(k - 1) + " -> " + path.get(k));
        }
    }

    @Test
    void closedIsFinalAndNothingSkipsToClosed() {
        assertEquals(0, IncidentState.CLOSED.next().size());
        for (IncidentState s : IncidentState.values()) {
            assertEquals(s == IncidentState.RESOLVED, s.canMoveTo(IncidentState.CLOSED), s.name());
        }
        assertFalse(IncidentState.MITIGATING.canMoveTo(IncidentState.RESOLVED));
        assertFalse(IncidentState.DETECTED.canMoveTo(IncidentState.MONITORING));
    }

    @Test
    void adjacentCohortsShareAnAttributeValue() {
        String ca = "country=CA & age=18-24";
        assertTrue(Cohorts.adjacent(ca, "country=CA & age=25-34"));
        assertTrue(Cohorts.adjacent(ca, "country=US & age=18-24"));
        assertFalse(Cohorts.adjacent(ca, "country=US & age=25-34"));
        assertFalse(Cohorts.adjacent(ca, "age=18-24 & country=CA"));
        assertFalse(Cohorts.adjacent(ca, ""));
    }

    @Test
    void componentsFollowTheMetricAndTheCohortsRegion() {
        assertEquals(List.of("checkout-risk-scoring", "payments-ca"),
                Components.affected("INCORRECT_APPROVAL_RATE", "country=CA & age=18-24"));
        assertEquals(List.of("checkout-risk-scoring", "step-up", "payments-eu-west"),
                Components.affected("STEP_UP_FAILURE_RATE", "region=eu-west"));
        assertEquals(List.of("checkout-risk-scoring"), Components.affected("CONVERSION", ""));
    }
}
