package io.vigil.eventing;

import java.time.Instant;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Builds the outgoing SmallRye message for a protobuf event: protobuf bytes as the value, CloudEvents headers. */
public final class CloudEventMessages {

    private CloudEventMessages() {
    }

    /**
     * @param service the emitting service (becomes {@code ce_source})
     * @param key the Kafka key; events about one entity share a key so they stay ordered in one partition
     * @param payload the event
     * @param time when the fact happened
     */
    public static Message<byte[]> of(String service, String key, com.google.protobuf.Message payload, Instant time) {
        return of(CloudEventHeaders.forPayload(service, payload, time), key, payload);
    }

    public static Message<byte[]> of(CloudEventHeaders attributes, String key, com.google.protobuf.Message payload) {
        return of(attributes, key, payload.toByteArray());
    }

    /**
     * An event already encoded, e.g. one stored in a transactional outbox and relayed later with its original id.
     *
     * @param value the protobuf encoding of the message {@code attributes.type()} names
     */
    public static Message<byte[]> of(CloudEventHeaders attributes, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        attributes.writeTo(headers);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build();
        return Message.of(value).addMetadata(metadata);
    }
}
