package io.vigil.guardrail.rollout.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How guardrail-service reaches scoring-service (its URL is {@code quarkus.rest-client.scoring.url}).
 */
@ConfigMapping(prefix = "guardrail.scoring")
public interface ScoringClientConfig {

    /** Bearer token with the operator role (env VIGIL_SCORING_TOKEN; bin/vigil up mints one for guardrail-service). */
    Optional<String> token();

    /** First wait before retrying a failed call; doubled each time up to {@link #maxBackoff()}. */
    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

    /** Attempts for a call an operator waits for (start, promote); a restore retries until it is applied. */
    @WithDefault("3")
    int attempts();
}
