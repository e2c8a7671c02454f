package io.vigil.guardrail.streams;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How guardrail-service runs its Kafka Streams topology, under {@code guardrail.streams.*}. Kafka Streams' own
 * settings (application id, exactly-once, state directory, replication of its internal topics) are under
 * {@code quarkus.kafka-streams.*} and {@code kafka-streams.*} in application.properties.
 */
@ConfigMapping(prefix = "guardrail.streams")
public interface GuardrailStreamsConfig {

    /**
     * How long (stream time) an outcome that arrived before its decision waits for it before it is counted as
     * unmatched and sent to the unmatched topic.
     */
    @WithDefault("PT6H")
    Duration joinWait();

    /** How often (stream time) waiting outcomes are checked against the join wait. */
    @WithDefault("PT10M")
    Duration joinExpiryInterval();

    /**
     * The least a rollout's newest buckets rest before they are evaluated, whatever its watch says: records of one
     * minute reach the evaluator through several partitions and tasks, and a bucket evaluated before all of them
     * arrived would make a replay's verdicts differ. A watch's own settle delay (for its outcomes) applies when longer.
     */
    @WithDefault("PT2M")
    Duration minimumSettle();

    /**
     * How far one silent or stalled source partition may hold a rollout's evaluation back behind the evaluating task's
     * stream time (a rollout minute is otherwise judged once every partition's watermark passed it).
     */
    @WithDefault("PT30M")
    Duration maxPartitionLag();

    /**
     * How long (wall time) a lagging source partition's watermark must stand still before it counts as silent and
     * {@code max-partition-lag} applies: in a replay, partitions lag by many minutes of event time yet keep moving.
     */
    @WithDefault("PT1M")
    Duration partitionSilence();

    /**
     * How often (wall time) an upstream task sends the counts it has summed even when its progress has not crossed a
     * minute (it always sends them before its watermark); bounds how stale a silent partition's last counts get.
     */
    @WithDefault("PT1S")
    Duration deltaFlushInterval();

    /**
     * How long (stream time) a decision's projection is kept for its outcomes to join: past it (checked every
     * {@code join-expiry-interval}) it is dropped and a later outcome waits and goes unmatched. Chargebacks come up to
     * 120 days after the payment.
     */
    @WithDefault("P130D")
    Duration decisionRetention();

    /** Partitions of the topics created at start when missing (inputs and the topology's own topics alike). */
    @WithDefault("6")
    int partitions();

    /** Replication factor of the topics created at start: 1 on a single local broker, 3 in production. */
    @WithDefault("1")
    short replicationFactor();

    /** Retention of the topology's own pass-through topics (joined outcomes, rollout deltas, unmatched outcomes). */
    @WithDefault("P7D")
    Duration internalRetention();

    /** Whether the topic step at start creates missing topics; off where topics are managed outside the service. */
    @WithDefault("true")
    boolean createTopics();

    /** Stream threads replaced after fatal errors within {@link #replacementWindow()} before the client shuts down. */
    @WithDefault("5")
    int maxReplacements();

    /** The window {@link #maxReplacements()} counts in (wall time). */
    @WithDefault("PT10M")
    Duration replacementWindow();
}
