package io.vigil.guardrail.rollout.plan;

import java.time.Duration;
import java.util.List;

/**
 * One ramp step: the treatment's share of traffic, how long it runs at least, the exposure each arm needs in every
 * watched cohort before the step may pass, and the roles that must sign off before promotion past it.
 */
public record PlanStep(double share, Duration minimumDuration, long minimumExposure, List<String> signOff) {

    public PlanStep {
        signOff = List.copyOf(signOff);
    }
}
