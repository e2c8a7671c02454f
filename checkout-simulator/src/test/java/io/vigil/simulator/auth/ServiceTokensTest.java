package io.vigil.simulator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vigil.simulator.scenario.ScenarioLoader;

class ServiceTokensTest {

    @Test
    void shouldPreferTheOptionOverTheEnvironment() {
        ServiceTokens t = ServiceTokens.resolve("opt-op", null,
                Map.of("VIGIL_OPERATOR_TOKEN", "env-op", "VIGIL_PRODUCER_TOKEN", "env-prod"));

        assertEquals("opt-op", t.operator());
        assertEquals("env-prod", t.producer());
        assertEquals("Bearer opt-op", t.operatorAuthorization());
        assertEquals("Bearer env-prod", t.producerAuthorization());
    }

    @Test
    void shouldTreatBlankAsMissingAndStripAPastedBearerPrefix() {
        ServiceTokens t = ServiceTokens.resolve("  ", "Bearer abc.def.ghi\n", Map.of("VIGIL_OPERATOR_TOKEN", ""));

        assertNull(t.operator());
        assertEquals("abc.def.ghi", t.producer());
        assertThrows(IllegalStateException.class, t::operatorAuthorization);
    }

    @Test
    void shouldNeverShowATokenInItsText() {
        ServiceTokens t = new ServiceTokens("secret-operator", null);

        assertEquals("ServiceTokens[operator=set, producer=none]", t.toString());
        assertFalse(t.toString().contains("secret"));
    }

    @Test
    void shouldNeedTheOperatorTokenOnlyForAChallenger() {
        var baseline = ScenarioLoader.parse("name: plain\n");
        var challenger = ScenarioLoader.parse("""
                name: c
                changes:
                  - at: 30m
                    challenger: {model: m, share: 0.2}
                """);
        ServiceTokens producerOnly = new ServiceTokens(null, "p");

        assertTrue(producerOnly.missingFor(baseline).isEmpty());
        // The line is the change's own ("- at:"), where a reader of the file looks.
        assertEquals("no operator token: scenario c sets a challenger (line 3) on scoring-service's /models, which "
                + "needs a token with role operator; set VIGIL_OPERATOR_TOKEN (./bin/vigil token --role operator "
                + "--sub checkout-simulator); nothing was sent", producerOnly.missingFor(challenger).orElseThrow());
        assertTrue(new ServiceTokens("o", null).missingFor(baseline).orElseThrow().startsWith("no producer token"));
        assertTrue(new ServiceTokens("o", "p").missingFor(challenger).isEmpty());
    }
}
