package io.vigil.incident.status;

import static io.vigil.incident.status.ComponentStatus.MAJOR_OUTAGE;
import static io.vigil.incident.status.ComponentStatus.OPERATIONAL;
import static io.vigil.incident.status.ComponentStatus.PARTIAL_OUTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class FlapSuppressorTest {

    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    /** Worse states show after 5 minutes, better ones after 10. */
    private final FlapSuppressor suppressor = new FlapSuppressor(Duration.ofMinutes(5), Duration.ofMinutes(10));

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void shouldShowTheFirstMeasurementAtOnce() {
        ShownStatus s = suppressor.observe(null, PARTIAL_OUTAGE, T0);
        assertEquals(PARTIAL_OUTAGE, s.shown());
        assertEquals(T0, s.shownSince());
    }

    @Test
    void shouldChangeOnlyAfterTheWorseStateHeldForItsHoldTime() {
        ShownStatus s = ShownStatus.initially(OPERATIONAL, T0);
        s = suppressor.observe(s, MAJOR_OUTAGE, at(1));
        assertEquals(OPERATIONAL, s.shown());
        assertEquals(MAJOR_OUTAGE, s.candidate());
        s = suppressor.observe(s, MAJOR_OUTAGE, at(5));
        assertEquals(OPERATIONAL, s.shown(), "4 minutes held < 5");
        s = suppressor.observe(s, MAJOR_OUTAGE, at(6));
        assertEquals(MAJOR_OUTAGE, s.shown(), "5 minutes held");
        assertEquals(at(1), s.shownSince(), "the outage began when first measured");
        assertNull(s.candidate());
    }

    @Test
    void shouldNotFlapWhenTheMetricWobbles() {
        // Measured: outage, back to operational, outage again, every 3 minutes for an hour: never held 5 minutes.
        ShownStatus s = ShownStatus.initially(OPERATIONAL, T0);
        for (int m = 1; m <= 60; m += 3) {
            s = suppressor.observe(s, (m / 3) % 2 == 0 ? MAJOR_OUTAGE : OPERATIONAL, at(m));
            assertEquals(OPERATIONAL, s.shown(), "minute " + m);
        }
    }

    @Test
    void shouldRestartTheWaitWhenTheCandidateChangesToAThirdState() {
        ShownStatus s = ShownStatus.initially(OPERATIONAL, T0);
        s = suppressor.observe(s, MAJOR_OUTAGE, at(0));
        s = suppressor.observe(s, PARTIAL_OUTAGE, at(4));
        s = suppressor.observe(s, PARTIAL_OUTAGE, at(8));
        assertEquals(OPERATIONAL, s.shown(), "partial outage held 4 minutes only");
        s = suppressor.observe(s, PARTIAL_OUTAGE, at(9));
        assertEquals(PARTIAL_OUTAGE, s.shown());
        assertEquals(at(4), s.shownSince());
    }

    @Test
    void shouldRecoverOnlyAfterTheLongerHoldForBetterStates() {
        ShownStatus s = ShownStatus.initially(MAJOR_OUTAGE, T0);
        s = suppressor.observe(s, OPERATIONAL, at(0));
        s = suppressor.observe(s, OPERATIONAL, at(9));
        assertEquals(MAJOR_OUTAGE, s.shown(), "9 minutes < 10");
        s = suppressor.observe(s, OPERATIONAL, at(10));
        assertEquals(OPERATIONAL, s.shown());
    }

    @Test
    void shouldForgetTheCandidateWhenTheMeasurementReturnsToTheShownState() {
        ShownStatus s = ShownStatus.initially(OPERATIONAL, T0);
        s = suppressor.observe(s, MAJOR_OUTAGE, at(0));
        s = suppressor.observe(s, OPERATIONAL, at(4));
        assertNull(s.candidate());
        s = suppressor.observe(s, MAJOR_OUTAGE, at(6));
        s = suppressor.observe(s, MAJOR_OUTAGE, at(10));
        assertEquals(OPERATIONAL, s.shown(), "held 4 minutes since it came back at minute 6");
        s = suppressor.observe(s, MAJOR_OUTAGE, at(11));
        assertEquals(MAJOR_OUTAGE, s.shown());
    }
}
