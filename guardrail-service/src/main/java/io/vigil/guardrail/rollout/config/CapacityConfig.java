package io.vigil.guardrail.rollout.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vigil.guardrail.rollout.plan.CapacityDefaults;

/**
 * The capacities a plan's REVIEW_QUEUE_LOAD and STEP_UP_BUDGET guardrails get when they name none; written into the
 * plan at creation (operators change a running rollout's over REST: {@code PUT .../guardrails/{name}/capacity}).
 */
@ConfigMapping(prefix = "guardrail.capacity")
public interface CapacityConfig {

    /** Reviews per {@link #period()} the review queue can take. */
    @WithDefault("1000")
    double reviewQueue();

    /** Step-ups (3-D Secure / OTP challenges, each one costs) per {@link #period()} the budget allows. */
    @WithDefault("20000")
    double stepUpBudget();

    /** The period both are per. */
    @WithDefault("1h")
    Duration period();

    default CapacityDefaults defaults() {
        return new CapacityDefaults(reviewQueue(), stepUpBudget(), period());
    }
}
