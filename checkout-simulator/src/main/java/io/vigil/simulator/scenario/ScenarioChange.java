package io.vigil.simulator.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.vigil.riskmodel.population.CohortRiskShift;
import io.vigil.riskmodel.population.DefaultedField;

/**
 * One change of the world at simulated time {@code at} after the start; null fields leave that knob as it was.
 *
 * @param note what the change stands for, in words (goes to the truth file)
 */
public record ScenarioChange(Duration at, int line, String note, List<CohortRiskShift> cohortRisk,
        List<DefaultedField> featureDefaults, World.FeatureLatency featureLatency, Map<String, Double> stepUpBreakage,
        Double trafficMultiplier, World.Challenger challenger) {
}
