package io.vigil.guardrail.rollout.outbox;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A real Kafka producer pointed at a port nothing listens on: every send fails the way a send to a lost broker does
 * (no metadata within {@code max.block.ms}), so the relay's failure path runs against a real client, not a stub.
 */
final class UnreachableBrokerPublisher implements OutboxPublisher, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
            ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200), new StringSerializer(), new ByteArraySerializer());

    @Override
    public Uni<Void> publish(RelayedEvent event) {
        return Uni.createFrom().<Void>emitter(em -> producer.send(
                new ProducerRecord<>("vigil.rollouts.v1", event.key(), event.payload()),
                (metadata, e) -> {
                    if (e != null) {
                        em.fail(e);
                    } else {
                        em.complete(null);
                    }
                }))
                // send() blocks for metadata up to max.block.ms: keep that off the event loop
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    public void close() {
        producer.close();
    }
}
