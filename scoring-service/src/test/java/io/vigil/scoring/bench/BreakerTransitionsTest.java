package io.vigil.scoring.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BreakerTransitionsTest {

    private static final String METRICS = """
            # HELP vigil_scoring_feature_breaker_transitions_total State changes of the circuit breaker
            # TYPE vigil_scoring_feature_breaker_transitions_total counter
            vigil_scoring_feature_breaker_transitions_total{state="OPEN"} 3.0
            vigil_scoring_feature_breaker_transitions_total{state="HALF_OPEN"} 3.0
            vigil_scoring_feature_breaker_transitions_total{state="CLOSED"} 2.0
            vigil_scoring_fallbacks_total{cause="FALLBACK_CAUSE_DEADLINE"} 7.0
            """;

    @Test
    void readsTransitionsByStateAndNothingElse() {
        assertEquals(Map.of("OPEN", 3L, "HALF_OPEN", 3L, "CLOSED", 2L), BreakerTransitions.parse(METRICS));
        assertEquals(Map.of(), BreakerTransitions.parse("vigil_scoring_fallbacks_total{cause=\"X\"} 7.0\n"));
    }

    @Test
    void reportsOnlyWhatChangedInThePhase() {
        assertEquals("feature breaker transitions: 0",
                BreakerTransitions.between(Map.of("OPEN", 3L), Map.of("OPEN", 3L)));
        assertEquals("feature breaker transitions: 3 {CLOSED=1, HALF_OPEN=1, OPEN=1}",
                BreakerTransitions.between(Map.of("OPEN", 1L), Map.of("OPEN", 2L, "HALF_OPEN", 1L, "CLOSED", 1L)));
        assertEquals("feature breaker transitions: unknown (scoring-service's /q/metrics not readable)",
                BreakerTransitions.between(null, Map.of()));
    }
}
