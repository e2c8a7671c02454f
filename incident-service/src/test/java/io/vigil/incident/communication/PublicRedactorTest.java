package io.vigil.incident.communication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PublicRedactorTest {

    /** Hostile fragments an internal text may hold; none may survive scrubbing. */
    static List<String> hostile() {
        return List.of(
                "3f2c9a1e-7b4d-4e2f-9a6b-0c1d2e3f4a5b",
                "rollout-42", "ro_7f3a9", "xgb-v12", "model_v2.3", "v1.4.2", "champion-2026-11-28",
                "policy#9", "age_band=18-24", "18-24", "18–24", "aged 18 to 24", "region:CA",
                "jane.doe@example.com", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",
                "+1 415 555 0100", "10.2.3.4", "fe80::1ff:fe23:4567:890a", "https://grafana.internal/d/abc?x=1",
                "deadbeefcafebabe1234");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void shouldRemoveInternalReferencesAndPersonalData(String fragment) {
        String scrubbed = PublicRedactor.scrub("We rolled back " + fragment + " after review.");
        assertFalse(scrubbed.contains(fragment), scrubbed);
        // No digit of an identifier survives either (a partial card number is still a card number).
        assertFalse(scrubbed.matches(".*\\d.*"), scrubbed);
    }

    @Test
    void shouldKeepPlainPublicSentences() {
        assertEquals("Payments are recovering; we continue to monitor.",
                PublicRedactor.scrub("Payments are recovering; we continue to monitor."));
    }
}
