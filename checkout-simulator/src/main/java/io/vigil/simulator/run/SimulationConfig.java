package io.vigil.simulator.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.vigil.simulator.auth.ServiceTokens;
import io.vigil.simulator.scenario.Scenario;

/**
 * Everything one simulation run needs.
 *
 * @param scoringTarget      scoring-service gRPC, host:port
 * @param scoringHttpUrl     scoring-service REST (scenario operator actions)
 * @param featureServiceUrl  feature-service REST (feature seeding)
 * @param kafkaBootstrap     Kafka bootstrap servers for vigil.outcomes.v1
 * @param rate               mean payments per wall-clock second (the weekly mean; the hourly profile swings it)
 * @param speed              simulated seconds per wall-clock second
 * @param duration           simulated time to run
 * @param start              simulated time of the start
 * @param deadline           the checkout's deadline on Score
 * @param featureServicePid  the feature-service process for the latency fault hook, or null (latency knobs refused)
 * @param bufferCapacity     outcome events that may wait for Kafka
 * @param window             truth-file window length (simulated)
 * @param progress           where the live progress goes; null for none
 * @param tty                progress rewrites one line (a terminal) or prints a plain line every 10 s
 * @param tokens             bearer tokens for the REST calls (toString shows only whether each is set)
 */
public record SimulationConfig(String scoringTarget, String scoringHttpUrl, String featureServiceUrl,
        String kafkaBootstrap, Scenario scenario, double rate, double speed, Duration duration, Instant start, long seed,
        String runId, boolean labelsNow, Path truthFile, Duration deadline, Long featureServicePid, int bufferCapacity,
        Duration window, PrintStream progress, boolean tty, ServiceTokens tokens) {
}
