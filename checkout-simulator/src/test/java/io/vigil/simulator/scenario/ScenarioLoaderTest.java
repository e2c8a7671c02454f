package io.vigil.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.simulator.outcome.OutcomeParameter;

class ScenarioLoaderTest {

    static final Path DIR = Path.of("scenarios");

    @Test
    void shouldLoadEveryShippedScenario() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertEquals(List.of("baseline.yaml", "cohort-spike.yaml", "funnel-drop.yaml", "launch-failure-rollout.yaml",
                    "launch-failure.yaml"),
                    all.stream().map(p -> p.getFileName().toString()).toList());
            for (Path f : all) {
                Scenario s = ScenarioLoader.load(f.toString(), DIR);
                assertEquals(f.getFileName().toString().replace(".yaml", ""), s.name());
            }
        }
    }

    @Test
    void shouldBuildTheWorldOfEachSimulatedTime() throws Exception {
        Scenario s = ScenarioLoader.load("launch-failure", DIR);
        World before = s.worldAt(Duration.ofMinutes(59));
        assertEquals(0.10, before.challenger().share());
        assertTrue(before.featureDefaults().isEmpty());
        assertEquals(1.0, before.trafficMultiplier());

        World later = s.worldAt(Duration.ofHours(5));
        assertEquals(0.50, later.challenger().share(), "the 2h ramp replaced the 10% share");
        assertEquals(PaymentFeature.ACCOUNT_AGE_DAYS, later.featureDefaults().get(0).feature(), "carried over from 1h");
        assertEquals(new World.FeatureLatency(80, 500), later.featureLatency());
        assertEquals(1.2, later.trafficMultiplier());

        Scenario spike = ScenarioLoader.load("cohort-spike", DIR);
        assertTrue(spike.worldAt(Duration.ofHours(1)).cohortRisk().isEmpty());
        assertEquals(1.55, spike.worldAt(Duration.ofHours(2)).cohortRisk().get(0).riskMultiplier());
        assertEquals(0.113, ScenarioLoader.load("funnel-drop", DIR).worldAt(Duration.ofHours(3)).breakage("voice"));
    }

    @Test
    void shouldTakeOutcomeRateOverrides() {
        Scenario s = ScenarioLoader.parse("""
                name: x
                outcome_rates:
                  issuer_decline_genuine: 0.05
                """);
        assertEquals(0.05, s.rates().get(OutcomeParameter.ISSUER_DECLINE_GENUINE));
        assertEquals(0.88, s.rates().get(OutcomeParameter.CHARGEBACK_FRAUD), "defaults stay");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("description: no name\n", "name", 1),
                Arguments.of("name: x\ncolour: red\n", "colour", 2),
                Arguments.of("name: x\nchanges:\n  - at: 1h\n    cohort_risk:\n      - cohort: contry=CA\n        multiplier: 2\n",
                        "changes[0].cohort_risk[0].cohort", 5),
                Arguments.of("name: x\nchanges:\n  - at: 1h\n    cohort_risk:\n      - cohort: country=CA\n        multiplier: -1\n",
                        "changes[0].cohort_risk[0].multiplier", 6),
                Arguments.of("name: x\nchanges:\n  - at: 2h\n  - at: 1h\n", "changes[1].at", 4),
                Arguments.of("name: x\nchanges:\n  - at: soon\n", "changes[0].at", 3),
                Arguments.of("name: x\nchanges:\n  - at: 0\n    step_up_breakage:\n      fax: 0.1\n",
                        "changes[0].step_up_breakage.fax", 5),
                Arguments.of("name: x\nchanges:\n  - at: 0\n    step_up_breakage:\n      voice: 1.5\n",
                        "changes[0].step_up_breakage.voice", 5),
                Arguments.of("name: x\nchanges:\n  - at: 0\n    feature_latency:\n      pause: 600ms\n      every: 500ms\n",
                        "changes[0].feature_latency.pause", 5),
                Arguments.of("name: x\nchanges:\n  - at: 0\n    feature_defaults:\n      - feature: account_age\n        value: 0\n",
                        "changes[0].feature_defaults[0]", 5),
                Arguments.of("name: x\noutcome_rates:\n  chargeback_fraud: 1.2\n", "outcome_rates.chargeback_fraud", 3),
                Arguments.of("name: x\noutcome_rates:\n  refund_rate: 0.1\n", "outcome_rates.refund_rate", 3),
                Arguments.of("name: x\nchanges:\n  - at: 0\n    challenger:\n      share: 0.1\n",
                        "changes[0].challenger.model", 5),
                Arguments.of("name: [unclosed\n", "(document)", 1));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void shouldRefuseAnInvalidFileNamingTheFieldAndLine(String yaml, String field, int line) {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse(yaml));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
    }
}
