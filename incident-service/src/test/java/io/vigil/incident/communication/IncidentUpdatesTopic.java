package io.vigil.incident.communication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.google.protobuf.InvalidProtocolBufferException;

import io.vigil.contracts.events.v1.StakeholderUpdateOverdue;
import io.vigil.eventing.CloudEventHeaders;

/**
 * Everything on {@code vigil.incident-updates.v1} about one incident, read from the start of each partition to its end
 * offset at the time of the call: a complete picture once the sends were acknowledged, so "exactly once on the topic"
 * is checked without waiting for records that might still come.
 */
public final class IncidentUpdatesTopic {

    public static final String TOPIC = "vigil.incident-updates.v1";

    /** A record as received: its CloudEvents attributes and its payload. */
    public record Received(CloudEventHeaders headers, StakeholderUpdateOverdue event) {
    }

    private IncidentUpdatesTopic() {
    }

    public static List<Received> about(UUID incidentId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "incident-updates-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<Received> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + TOPIC + " to its end offsets " + end);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(TOPIC, r.partition()))
                            && incidentId.toString().equals(r.key())) {
                        out.add(new Received(CloudEventHeaders.readFrom(r.headers()),
                                StakeholderUpdateOverdue.parseFrom(r.value())));
                    }
                }
            }
            return out;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a StakeholderUpdateOverdue on " + TOPIC, e);
        }
    }
}
