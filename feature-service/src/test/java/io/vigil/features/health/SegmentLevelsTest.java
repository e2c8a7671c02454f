package io.vigil.features.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.FeatureSetParser;
import io.vigil.features.ingest.FeatureUpdate;

/** A producer's free-form segment values fold into "other": segments (and their gauges) stay bounded. */
class SegmentLevelsTest {

    static final FeatureSet CHECKOUT = parse();

    static FeatureSet parse() {
        try {
            return new FeatureSetParser().parse(Files.readString(Path.of("../contracts/features/checkout-features-v1.yaml")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    final SegmentLevels levels = SegmentLevels.of(CHECKOUT);

    @Test
    void shouldKeepDeclaredLevelsAndFoldEverythingElse() {
        assertEquals("CA", levels.fold(0, "CA"));
        assertEquals("other", levels.fold(0, "Canada"));
        assertEquals("LATAM", levels.fold(1, "LATAM"));
        assertEquals("18-24", levels.fold(2, "18-24"));
        assertEquals("app", levels.fold(3, "app"), "channel levels come from vigil.scoring.v1.Channel");
        assertEquals("other", levels.fold(3, "APP"));
        assertEquals("social", levels.fold(4, "social"));
        assertNull(levels.fold(4, null));
        // 1 + (10 countries + 4 regions + 6 age bands + 3 channels + 2 login methods) + 5 "other"
        assertEquals(31, levels.maxSegments());
    }

    @Test
    void shouldBoundSegmentsWhateverAProducerSends() {
        FeatureContract age = CHECKOUT.feature("account_age_days").orElseThrow();
        HealthEngine engine = new HealthEngine(new HealthEngine.Settings(Duration.ofMinutes(5), 12, 200, 30, 25,
                Duration.ZERO, 512, 0.25, 0.001, 0.1, 0.05), 1L);
        Instant now = Instant.parse("2026-11-25T00:00:00Z");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            // Every update carries a distinct junk value for every attribute (a per-request id, say).
            Map<String, String> junk = Map.of("country", "c-" + i, "region", "r-" + i, "customer_age_band", "b-" + i,
                    "channel", "ch-" + i, "login_method", "l-" + i);
            sent.add(junk.get("country"));
            FeatureUpdate u = new FeatureUpdate("e-" + i, "p", EntityKind.ACCOUNT, "a-" + i, now, Map.of(), junk);
            String[] attrs = FeatureHealthMonitor.attributes(u, Map.of(), levels);
            engine.observe(age, new Observation(attrs, Observation.HAS_VALUE, i % 400), now, now);
        }
        engine.evaluate("account_age_days", now);
        List<SegmentHealth> segments = engine.snapshot("account_age_days", null);
        assertEquals(10_000, sent.size());
        // The whole population plus one "other" per attribute: 6 segments, so 6 gauges per metric.
        assertEquals(6, segments.size(), segments.stream().map(h -> h.segment().toString()).toList().toString());
        assertTrue(segments.stream().allMatch(h -> h.segment().all() || h.segment().value().equals("other")));
    }
}
