package io.vigil.incident.allclear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Seed 000's criteria: CA 18-24 incorrect approvals <= 2.3% for 3 consecutive 30-minute windows, volume +-30%, queue < 80%. */
class AllClearCheckTest {

    static final String COHORT = "country=CA & age=18-24";
    static final AllClearCriteria SEED = new AllClearCriteria("INCORRECT_APPROVAL_RATE", COHORT, 0.023, 3, 30, 0.30, 0.80);
    static final Instant OPENED = Instant.parse("2026-11-27T02:00:00Z");

    static AllClearCheck.Window w(String start, long num, long den, long decisions) {
        Instant s = Instant.parse(start);
        return new AllClearCheck.Window(s, s.plus(Duration.ofMinutes(30)), num, den, decisions);
    }

    static List<AllClearCheck.Window> queue(double load) {
        List<AllClearCheck.Window> out = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            Instant s = Instant.parse("2026-11-27T09:00:00Z").plus(Duration.ofMinutes(30L * k));
            out.add(new AllClearCheck.Window(s, s.plus(Duration.ofMinutes(30)), Math.round(load * 100), 100, 0));
        }
        return out;
    }

    static final List<AllClearCheck.Window> GOOD = List.of(
            w("2026-11-27T09:00:00Z", 150, 5000, 5000),   // 3.0%: still bad
            w("2026-11-27T10:00:00Z", 110, 5000, 5000),   // 2.2%
            w("2026-11-27T10:30:00Z", 115, 5000, 4000),   // 2.3% exactly, volume -20%
            w("2026-11-27T11:00:00Z", 100, 5000, 6400));  // 2.0%, volume +28%

    @Test
    void metAfterThreeGoodConsecutiveWindows() {
        var r = AllClearCheck.evaluate(SEED, OPENED, GOOD, queue(0.6), List.of(), 5000.0);
        assertTrue(r.met(), r.summary());
        assertEquals(Instant.parse("2026-11-27T11:30:00Z"), r.lastWindowEnd());
    }

    @Test
    void notMetWithTwoGoodWindows() {
        var r = AllClearCheck.evaluate(SEED, OPENED, GOOD.subList(0, 3), queue(0.6), List.of(), 5000.0);
        assertFalse(r.met());
        assertTrue(r.summary().contains("rate 0.0300 above 0.0230"), r.summary());
    }

    @Test
    void notMetWhenAnAdjacentCohortAlarms() {
        var r = AllClearCheck.evaluate(SEED, OPENED, GOOD, queue(0.6), List.of("country=CA & age=25-34"), 5000.0);
        assertFalse(r.met());
        assertTrue(r.summary().contains("adjacent"), r.summary());
    }

    @Test
    void anUnrelatedCohortAlarmingDoesNotBlock() {
        assertTrue(AllClearCheck.evaluate(SEED, OPENED, GOOD, queue(0.6), List.of("country=US & age=35-44", COHORT),
                5000.0).met());
    }

    @Test
    void notMetWhenTheReviewQueueIsAt80PercentOrUnknown() {
        assertFalse(AllClearCheck.evaluate(SEED, OPENED, GOOD, queue(0.8), List.of(), 5000.0).met());
        assertFalse(AllClearCheck.evaluate(SEED, OPENED, GOOD, List.of(), List.of(), 5000.0).met());
    }

    @Test
    void notMetWhenVolumeMovesMoreThan30Percent() {
        List<AllClearCheck.Window> windows = new ArrayList<>(GOOD);
        windows.set(3, w("2026-11-27T11:00:00Z", 100, 5000, 6600)); // +32%
        var r = AllClearCheck.evaluate(SEED, OPENED, windows, queue(0.6), List.of(), 5000.0);
        assertFalse(r.met());
        assertTrue(r.summary().contains("volume 6600 is 32% off"), r.summary());
    }

    @Test
    void notMetWithAGap() {
        List<AllClearCheck.Window> windows = List.of(w("2026-11-27T10:00:00Z", 110, 5000, 5000),
                w("2026-11-27T10:30:00Z", 110, 5000, 5000), w("2026-11-27T11:30:00Z", 110, 5000, 5000));
        assertFalse(AllClearCheck.evaluate(SEED, OPENED, windows, queue(0.6), List.of(), 5000.0).met());
    }

    @Test
    void windowsBeforeTheIncidentDoNotCount() {
        List<AllClearCheck.Window> windows = List.of(w("2026-11-27T01:00:00Z", 100, 5000, 5000),
                w("2026-11-27T01:30:00Z", 100, 5000, 5000), w("2026-11-27T02:00:00Z", 100, 5000, 5000));
        assertFalse(AllClearCheck.evaluate(SEED, OPENED, windows, queue(0.6), List.of(), 5000.0).met());
    }
}
