package io.vigil.eventing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.google.protobuf.Message;

/**
 * The CloudEvents 1.0 attributes of one Vigil event, carried in binary mode as Kafka headers
 * ({@code ce_specversion}, {@code ce_id}, {@code ce_source}, {@code ce_type}, {@code ce_time}, {@code content-type}).
 * The record value is the protobuf encoding of the message named by {@code type}.
 *
 * @param id unique per event; consumers de-duplicate on it, so a redelivery never counts twice
 * @param source the emitting service as a URI reference, {@code //vigil/<service>}
 * @param type the protobuf full name of the payload, e.g. {@code vigil.events.v1.ServiceStarted}
 * @param time when the fact the event describes happened
 * @param contentType always {@link #PROTOBUF} for Vigil's own events
 */
public record CloudEventHeaders(String id, String source, String type, Instant time, String contentType) {

    public static final String SPEC_VERSION = "1.0";
    public static final String PROTOBUF = "application/protobuf";

    public static final String H_SPEC_VERSION = "ce_specversion";
    public static final String H_ID = "ce_id";
    public static final String H_SOURCE = "ce_source";
    public static final String H_TYPE = "ce_type";
    public static final String H_TIME = "ce_time";
    public static final String H_CONTENT_TYPE = "content-type";

    public CloudEventHeaders {
        requireText(id, H_ID);
        requireText(source, H_SOURCE);
        requireText(type, H_TYPE);
        Objects.requireNonNull(time, H_TIME);
        requireText(contentType, H_CONTENT_TYPE);
    }

    /** Attributes for a new event about {@code payload}, emitted by {@code service}, that happened at {@code time}. */
    public static CloudEventHeaders forPayload(String service, Message payload, Instant time) {
        return new CloudEventHeaders(UUID.randomUUID().toString(), sourceOf(service),
                payload.getDescriptorForType().getFullName(), time, PROTOBUF);
    }

    /** The {@code ce_source} of a Vigil service. */
    public static String sourceOf(String service) {
        return "//vigil/" + requireText(service, "service");
    }

    public void writeTo(Headers headers) {
        put(headers, H_SPEC_VERSION, SPEC_VERSION);
        put(headers, H_ID, id);
        put(headers, H_SOURCE, source);
        put(headers, H_TYPE, type);
        put(headers, H_TIME, time.toString());
        put(headers, H_CONTENT_TYPE, contentType);
    }

    /**
     * Reads and validates the attributes of a received record.
     *
     * @throws InvalidCloudEventException naming the first header that is missing or malformed
     */
    public static CloudEventHeaders readFrom(Headers headers) {
        String spec = required(headers, H_SPEC_VERSION);
        if (!SPEC_VERSION.equals(spec)) {
            throw new InvalidCloudEventException(H_SPEC_VERSION, "unsupported spec version '" + spec + "', expected 1.0");
        }
        Instant time;
        String rawTime = required(headers, H_TIME);
        try {
            time = Instant.parse(rawTime);
        } catch (DateTimeParseException e) {
            throw new InvalidCloudEventException(H_TIME, "not an RFC 3339 timestamp: '" + rawTime + "'");
        }
        return new CloudEventHeaders(required(headers, H_ID), required(headers, H_SOURCE), required(headers, H_TYPE),
                time, required(headers, H_CONTENT_TYPE));
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        if (header == null || header.value() == null || header.value().length == 0) {
            throw new InvalidCloudEventException(key, "missing");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
