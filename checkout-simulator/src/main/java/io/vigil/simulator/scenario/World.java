package io.vigil.simulator.scenario;

import java.util.List;
import java.util.Map;

import io.vigil.riskmodel.population.CohortRiskShift;
import io.vigil.riskmodel.population.DefaultedField;

/**
 * The state of the simulated world at one simulated time: what the scenario has injected so far. Each change replaces
 * the knobs it names; the others carry over.
 *
 * @param cohortRisk       cohorts whose true fraud probability is multiplied (seed 000: CA, 18-24 x1.55)
 * @param featureDefaults  segments whose stored feature arrives defaulted from upstream (seed 001)
 * @param featureLatency   the feature-service pause duty cycle the simulator drives, or {@link FeatureLatency#NONE}
 * @param stepUpBreakage   per channel (web, app, voice), the share of challenges a genuine customer would have
 *                         passed that now fail (seed 002: voice 0.113 takes 97% to 86%)
 * @param trafficMultiplier arrival rate factor (seed 001's campaign: 1.2)
 * @param challenger       the challenger model and its share, or null when the scenario does not touch it
 */
public record World(List<CohortRiskShift> cohortRisk, List<DefaultedField> featureDefaults, FeatureLatency featureLatency,
        Map<String, Double> stepUpBreakage, double trafficMultiplier, Challenger challenger) {

    public static final World BASELINE = new World(List.of(), List.of(), FeatureLatency.NONE, Map.of(), 1.0, null);

    public World {
        cohortRisk = List.copyOf(cohortRisk);
        featureDefaults = List.copyOf(featureDefaults);
        stepUpBreakage = Map.copyOf(stepUpBreakage);
    }

    public World apply(ScenarioChange c) {
        return new World(c.cohortRisk() != null ? c.cohortRisk() : cohortRisk,
                c.featureDefaults() != null ? c.featureDefaults() : featureDefaults,
                c.featureLatency() != null ? c.featureLatency() : featureLatency,
                c.stepUpBreakage() != null ? c.stepUpBreakage() : stepUpBreakage,
                c.trafficMultiplier() != null ? c.trafficMultiplier() : trafficMultiplier,
                c.challenger() != null ? c.challenger() : challenger);
    }

    /** Breakage of genuine step-ups in a channel ("web", "app", "voice"); 0 when none is injected. */
    public double breakage(String channel) {
        return stepUpBreakage.getOrDefault(channel, 0.0);
    }

    /** A feature-service pause of {@code pauseMillis} in every {@code everyMillis} of wall time. */
    public record FeatureLatency(long pauseMillis, long everyMillis) {
        public static final FeatureLatency NONE = new FeatureLatency(0, 0);

        public boolean active() {
            return pauseMillis > 0;
        }
    }

    /** The challenger arm: model version, share of accounts, and a model path to register it from if missing. */
    public record Challenger(String model, double share, String registerPath) {
    }
}
