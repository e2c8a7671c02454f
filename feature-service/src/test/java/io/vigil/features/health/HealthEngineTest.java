package io.vigil.features.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureSetParser;

/**
 * The seed scenario on a simulated account stream (fixed seed): a healthy stream, then account_age_days arrives as the
 * sentinel 0 for login_method=social. The alarm lands on login_method=social only; segments that merely contain social
 * accounts (countries, the whole population) see the crossing explained by it; then the stream heals and it recovers.
 */
class HealthEngineTest {

    private static final FeatureContract AGE = new FeatureSetParser().parse("""
            feature_set: t
            version: 1
            features:
              - {name: account_age_days, entity: account, type: long, unit: days, range: {min: 0, max: 36500},
                 sentinels: [0], freshness: P2D}
            """).feature("account_age_days").orElseThrow();
    private static final String[] COUNTRIES = { "US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU" };
    private static final String[] REGIONS = { "NA", "NA", "EU", "EU", "EU", "LATAM", "LATAM", "APAC", "APAC", "APAC" };
    private static final String[] BANDS = { "18-24", "25-34", "35-44", "45-54", "55-64", "65+" };
    private static final String[] CHANNELS = { "web", "app", "voice" };

    private final SplittableRandom random = new SplittableRandom(42L);
    private final HealthEngine engine = new HealthEngine(new HealthEngine.Settings(Duration.ofMinutes(5), 12, 1000, 30,
            100, Duration.ofSeconds(10), 512, 0.25, 0.001, 0.1, 0.05), 1L);
    private Instant now = Instant.parse("2026-11-25T00:00:00Z");
    private final List<HealthChange> changes = new ArrayList<>();
    private int evaluations;
    private int segmentEvaluations;
    private int alarmedSegmentWindows;

    @Test
    void shouldAlarmOnlyForSocialLoginsWhenTheirAccountAgeArrivesDefaulted() {
        stream(Duration.ofHours(3), false);
        assertTrue(segmentEvaluations > 1000, "evaluated " + segmentEvaluations + " segment windows");
        assertTrue(alarmedSegmentWindows < segmentEvaluations / 100,
                alarmedSegmentWindows + " of " + segmentEvaluations + " stable segment windows in alarm: " + changes);
        changes.clear();

        stream(Duration.ofMinutes(20), true);
        Map<Segment, Set<HealthMetric>> alarms = new java.util.HashMap<>();
        engine.snapshot("account_age_days", null).forEach(h -> alarms.put(h.segment(), h.alarms()));
        Set<HealthMetric> social = alarms.get(new Segment("login_method", "social"));
        assertTrue(social.containsAll(Set.of(HealthMetric.DEFAULT_RATE, HealthMetric.PSI, HealthMetric.KS)), social.toString());
        alarms.forEach((segment, metrics) -> {
            if (!segment.equals(new Segment("login_method", "social"))) {
                assertEquals(Set.of(), metrics, segment + " should be quiet");
            }
        });
        SegmentHealth us = engine.snapshot("account_age_days", new Segment("country", "US")).get(0);
        assertEquals("login_method=social", us.explainedBy().get(HealthMetric.DEFAULT_RATE));
        SegmentHealth all = engine.snapshot("account_age_days", Segment.ALL).get(0);
        assertEquals("login_method=social", all.explainedBy().get(HealthMetric.DEFAULT_RATE));
        assertTrue(changes.stream().allMatch(c -> c.alarm() && c.segment().equals(new Segment("login_method", "social"))),
                changes.toString());

        changes.clear();
        stream(Duration.ofHours(1).plusMinutes(10), false);
        assertTrue(changes.stream().anyMatch(c -> !c.alarm() && c.metric() == HealthMetric.DEFAULT_RATE
                && c.segment().equals(new Segment("login_method", "social"))), "recovery: " + changes);
        assertTrue(engine.snapshot("account_age_days", new Segment("login_method", "social")).get(0).alarms().isEmpty());
    }

    /** One observation per second; social accounts' age arrives as 0 when {@code broken}. */
    private void stream(Duration length, boolean broken) {
        Instant end = now.plus(length);
        while (now.isBefore(end)) {
            int c = random.nextInt(10) < 4 ? 0 : random.nextInt(10);
            boolean social = random.nextInt(10) < 3;
            String[] attrs = { COUNTRIES[c], REGIONS[c], BANDS[random.nextInt(BANDS.length)],
                    CHANNELS[random.nextInt(CHANNELS.length)], social ? "social" : "password" };
            long age = broken && social ? 0 : 1 + (long) Math.exp(random.nextDouble() * 8);
            int flags = Observation.HAS_VALUE | (age == 0 ? Observation.DEFAULT : 0);
            engine.observe(AGE, new Observation(attrs, flags, age), now);
            if (engine.due(now).contains("account_age_days")) {
                changes.addAll(engine.evaluate("account_age_days", now));
                evaluations++;
                for (SegmentHealth h : engine.snapshot("account_age_days", null)) {
                    segmentEvaluations++;
                    alarmedSegmentWindows += h.alarms().isEmpty() ? 0 : 1;
                }
            }
            now = now.plusSeconds(1);
        }
    }
}
