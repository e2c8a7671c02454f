package io.vigil.guardrail.streams;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the guardrail topology runs or rebalances; not ready before it started (topics missing, broker away),
 * once it stopped or after it failed: verdicts are not being issued then. (The extension's own checks: its topics
 * check is a readiness check, its state check a liveness one.)
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {

    private final KafkaStreams streams;

    StreamsReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("Guardrail topology (Kafka Streams)")
                .status(state.isRunningOrRebalancing())
                .withData("state", state.name())
                .build();
    }
}
