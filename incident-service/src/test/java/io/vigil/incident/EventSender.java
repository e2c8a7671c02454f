package io.vigil.incident;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.google.protobuf.Message;

import io.vigil.eventing.CloudEventHeaders;

/** Publishes events the way the other services do: protobuf values, CloudEvents binary headers. */
final class EventSender implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    EventSender() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends with a fresh event id; returns it (to redeliver the same event). */
    String send(String topic, String key, String service, Message payload, Instant time) {
        String id = UUID.randomUUID().toString();
        send(topic, key, new CloudEventHeaders(id, CloudEventHeaders.sourceOf(service),
                payload.getDescriptorForType().getFullName(), time, CloudEventHeaders.PROTOBUF), payload);
        return id;
    }

    void send(String topic, String key, CloudEventHeaders headers, Message payload) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, payload.toByteArray());
        headers.writeTo(record.headers());
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    void sendRaw(String topic, String key, byte[] value, CloudEventHeaders headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        if (headers != null) {
            headers.writeTo(record.headers());
        }
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
