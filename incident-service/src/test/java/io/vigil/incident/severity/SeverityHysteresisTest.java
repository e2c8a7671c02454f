package io.vigil.incident.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vigil.incident.incident.Severity;

class SeverityHysteresisTest {

    static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    final SeverityHysteresis h = new SeverityHysteresis(Duration.ofMinutes(60));

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void raisesAtOnce() {
        var s = h.next(new SeverityHysteresis.State(Severity.SEV3, null, null), Severity.SEV1, at(0));
        assertEquals(Severity.SEV1, s.severity());
        assertNull(s.pendingLower());
    }

    @Test
    void lowersOnlyAfterTheLowerLevelHeldForTheHoldTime() {
        var s = new SeverityHysteresis.State(Severity.SEV1, null, null);
        s = h.next(s, Severity.SEV3, at(0));
        assertEquals(new SeverityHysteresis.State(Severity.SEV1, Severity.SEV3, at(0)), s);
        s = h.next(s, Severity.SEV3, at(59));
        assertEquals(Severity.SEV1, s.severity());
        s = h.next(s, Severity.SEV3, at(60));
        assertEquals(new SeverityHysteresis.State(Severity.SEV3, null, null), s);
    }

    @Test
    void aFlappingMetricKeepsTheHigherSeverity() {
        var s = new SeverityHysteresis.State(Severity.SEV1, null, null);
        // SEV1 and SEV3 readings alternating every 20 minutes for three hours: never lowered
        for (int m = 0; m <= 180; m += 20) {
            s = h.next(s, (m / 20) % 2 == 0 ? Severity.SEV3 : Severity.SEV1, at(m));
            assertEquals(Severity.SEV1, s.severity(), "at minute " + m);
        }
    }

    @Test
    void aWorseButStillLowerReadingBecomesThePendingLevelWithoutRestartingTheWait() {
        var s = new SeverityHysteresis.State(Severity.SEV1, null, null);
        s = h.next(s, Severity.SEV3, at(0));
        s = h.next(s, Severity.SEV2, at(30));
        assertEquals(new SeverityHysteresis.State(Severity.SEV1, Severity.SEV2, at(0)), s);
        s = h.next(s, Severity.SEV3, at(60));
        // SEV2 has held (every reading since minute 0 was SEV2 or better); SEV3 starts its own wait
        assertEquals(new SeverityHysteresis.State(Severity.SEV2, Severity.SEV3, at(60)), s);
    }

    @Test
    void aLateReadingFromBeforeTheWaitChangesNothing() {
        var s = new SeverityHysteresis.State(Severity.SEV1, Severity.SEV3, at(30));
        assertEquals(s, h.next(s, Severity.SEV3, at(10)));
    }

    @Test
    void aLateWorseReadingStillRaises() {
        var s = new SeverityHysteresis.State(Severity.SEV3, null, null);
        assertEquals(Severity.SEV2, h.next(s, Severity.SEV2, at(-120)).severity());
    }
}
