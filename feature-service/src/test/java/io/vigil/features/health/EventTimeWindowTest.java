package io.vigil.features.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureSetParser;

/** Feature health buckets by event time: out-of-order arrivals land in their own window, too-late ones are counted. */
class EventTimeWindowTest {

    private static final FeatureContract AGE = new FeatureSetParser().parse("""
            feature_set: t
            version: 1
            features:
              - {name: account_age_days, entity: account, type: long, unit: days, range: {min: 0, max: 36500},
                 sentinels: [0], freshness: P2D}
            """).feature("account_age_days").orElseThrow();
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    /** 5-minute buckets, a window of 3 of them. */
    private final HealthEngine engine = new HealthEngine(new HealthEngine.Settings(Duration.ofMinutes(5), 3, 10, 5,
            1, Duration.ZERO, 100, 0.25, 0.001, 0.1, 0.05), 1L);

    private static Observation value(double v, String loginMethod) {
        return new Observation(new String[] {null, null, null, null, loginMethod}, Observation.HAS_VALUE, v);
    }

    private static Instant at(int minute, int second) {
        return T0.plus(Duration.ofMinutes(minute)).plusSeconds(second);
    }

    @Test
    void shouldPlaceOutOfOrderEventsInTheBucketOfTheirEventTime() {
        // Arrival order: 00:11, then 00:01 and 00:06 late; all arrive at 00:12 by the wall clock.
        Instant arrival = at(12, 0);
        assertTrue(engine.observe(AGE, value(1, null), at(11, 0), arrival));
        assertTrue(engine.observe(AGE, value(2, null), at(1, 30), arrival));
        assertTrue(engine.observe(AGE, value(3, null), at(6, 0), arrival));
        assertTrue(engine.observe(AGE, value(4, null), at(9, 59), arrival));
        Map<Instant, Long> expected = new TreeMap<>(Map.of(at(0, 0), 1L, at(5, 0), 2L, at(10, 0), 1L));
        assertEquals(expected, engine.bucketCounts("account_age_days"));
    }

    @Test
    void shouldCountEventsOlderThanTheWindowAsLateAndMoveTheWindowByEventTime() {
        Instant arrival = at(30, 0);
        assertTrue(engine.observe(AGE, value(1, null), at(20, 0), arrival));
        // The window is the 3 buckets up to 00:20-00:25: 00:10 .. 00:25. 00:09:59 is older.
        assertFalse(engine.observe(AGE, value(2, null), at(9, 59), arrival));
        assertTrue(engine.observe(AGE, value(3, null), at(10, 0), arrival));
        assertEquals(1, engine.late("account_age_days"));
        // A newer event moves the window: 00:10 leaves it, whatever the wall clock says.
        assertTrue(engine.observe(AGE, value(4, null), at(25, 0), arrival));
        assertEquals(new TreeMap<>(Map.of(at(20, 0), 1L, at(25, 0), 1L)), engine.bucketCounts("account_age_days"));
    }

    @Test
    void shouldTreatAnEventTimeAheadOfTheClockAsNow() {
        // A producer whose clock runs a day ahead must not push the window past every real observation.
        assertTrue(engine.observe(AGE, value(1, null), at(1, 0), at(2, 0)));
        assertTrue(engine.observe(AGE, value(2, null), at(24 * 60, 0), at(2, 0)));
        assertEquals(new TreeMap<>(Map.of(at(0, 0), 2L)), engine.bucketCounts("account_age_days"));
    }

    @Test
    void shouldRebaselineOneSegmentWithItsCurrentWindowAndRecoverItsAlarms() {
        // Reference: 20 values per login method, all 10 (social) and 100 (password).
        Instant t = at(0, 0);
        for (int i = 0; i < 20; i++) {
            engine.observe(AGE, value(10, "social"), t, t);
            engine.observe(AGE, value(100, "password"), t, t);
        }
        engine.evaluate("account_age_days", t);
        assertEquals(40, engine.snapshot("account_age_days", Segment.ALL).get(0).referenceCount());
        // An intended change: social accounts' values move to 1000.
        Instant later = at(5, 0);
        for (int i = 0; i < 30; i++) {
            engine.observe(AGE, value(1000, "social"), later, later);
        }
        engine.evaluate("account_age_days", later);
        Segment social = new Segment("login_method", "social");
        assertTrue(engine.snapshot("account_age_days", social).get(0).alarms().contains(HealthMetric.KS),
                engine.snapshot("account_age_days", social).toString());

        List<HealthChange> recovered = engine.rebaseline("account_age_days", social, later, "intended");
        assertTrue(recovered.stream().allMatch(c -> !c.alarm() && c.segment().equals(social)), recovered.toString());
        assertTrue(recovered.stream().anyMatch(c -> c.metric() == HealthMetric.KS));
        engine.evaluate("account_age_days", later);
        SegmentHealth after = engine.snapshot("account_age_days", social).get(0);
        // Its reference is now its window: 20 + 30 social observations; password keeps its 20.
        assertEquals(50, after.referenceCount());
        assertEquals(20, engine.snapshot("account_age_days", new Segment("login_method", "password")).get(0)
                .referenceCount());
        assertTrue(after.alarms().isEmpty(), after.toString());
    }

    @Test
    void shouldRebaselineTheWholeFeatureFromWhatArrivesNext() {
        Instant t = at(0, 0);
        for (int i = 0; i < 20; i++) {
            engine.observe(AGE, value(10, null), t, t);
        }
        engine.evaluate("account_age_days", t);
        engine.rebaseline("account_age_days", Segment.ALL, t, "fixed upstream");
        assertEquals(Map.of(), engine.bucketCounts("account_age_days"));
        assertEquals(List.of(), engine.snapshot("account_age_days", null));
        for (int i = 0; i < 10; i++) {
            engine.observe(AGE, value(500, null), at(1, 0), at(1, 0));
        }
        engine.evaluate("account_age_days", at(1, 0));
        assertEquals(10, engine.snapshot("account_age_days", Segment.ALL).get(0).referenceCount(),
                "only observations from after the re-baseline");
    }
}
