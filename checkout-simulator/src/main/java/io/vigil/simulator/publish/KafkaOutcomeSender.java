package io.vigil.simulator.publish;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;

/**
 * Puts outcome events on {@code vigil.outcomes.v1}: key = transaction id, value = the protobuf bytes, CloudEvents
 * binary headers with {@code ce_time} = the outcome's event time and {@code ce_id} a UUID derived from the outcome id,
 * so a re-sent event carries the same id and consumers de-duplicate it. Idempotent producer, acks from all replicas;
 * a send that cannot reach the broker fails within seconds and the {@link OutcomeBuffer} retries it.
 */
public final class KafkaOutcomeSender implements OutcomeBuffer.Sender, AutoCloseable {

    public static final String SERVICE = "checkout-simulator";

    private final KafkaProducer<String, byte[]> producer;

    public KafkaOutcomeSender(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, SERVICE);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<?> send(OutcomeRecorded o) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(EventTopics.OUTCOMES, o.getTransactionId(),
                o.toByteArray());
        new CloudEventHeaders(UUID.nameUUIDFromBytes(o.getOutcomeId().getBytes(StandardCharsets.UTF_8)).toString(),
                CloudEventHeaders.sourceOf(SERVICE), o.getDescriptorForType().getFullName(),
                ProtoTime.toInstant(o.getOccurredAt()), CloudEventHeaders.PROTOBUF).writeTo(record.headers());
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                ack.completeExceptionally(error);
            } else {
                ack.complete(null);
            }
        });
        return ack;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
