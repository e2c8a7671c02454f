package io.vigil.incident.delivery;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook delivery: dispatch cadence, timeouts, retries. */
@ConfigMapping(prefix = "vigil.webhooks")
public interface DeliveryConfig {

    /** How often the dispatcher looks for due deliveries; {@code off} disables the schedule. */
    @WithDefault("5s")
    String dispatchEvery();

    /** Deliveries claimed per dispatch round. */
    @WithDefault("50")
    int batchSize();

    /** A receiver must answer within this, or the attempt fails. */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * How long a claimed delivery is hidden from other replicas while it is being sent; a replica that dies mid-send
     * leaves it to be retried after this.
     */
    @WithDefault("2m")
    Duration lease();

    /** Attempts before a delivery goes to the dead letters. */
    @WithDefault("6")
    int maxAttempts();

    /** Wait after the first failure; doubled after each further one. */
    @WithDefault("30s")
    Duration initialBackoff();

    /** Longest wait between attempts. */
    @WithDefault("30m")
    Duration maxBackoff();

    default RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts(), initialBackoff(), maxBackoff());
    }
}
