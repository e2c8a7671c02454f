package io.vigil.guardrail.rollout.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Rollouts' own settings (the scoring-service client's are under {@code guardrail.scoring}). */
@ConfigMapping(prefix = "guardrail.rollouts")
public interface RolloutConfig {

    /** Minute buckets newer than stream time minus this are not evaluated yet (outcomes still arriving). */
    @WithDefault("5m")
    Duration settle();

    /** Decisions per guardrail where the rate sequences are tightest; validity does not depend on it. */
    @WithDefault("100000")
    long plannedDecisions();

    /** How often each instance looks for rollouts left in flight (PENDING to start, ROLLING_BACK to restore). */
    @WithDefault("10s")
    Duration resumeEvery();

    /** How long an operator's abort waits for the restore before answering with the rollout still ROLLING_BACK. */
    @WithDefault("5s")
    Duration abortWait();
}
