package io.vigil.guardrail.aggregation;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.TimestampExtractor;

import io.vigil.eventing.CloudEventHeaders;

/**
 * Event time for Kafka Streams: the CloudEvents {@code ce_time} header (when the fact happened, RFC 3339), so that
 * windows, stream time and the join's waits follow the events' own clock and a replay of a day behaves like the day.
 * Falls back to the record's timestamp when the header is missing or malformed.
 */
public final class CloudEventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Header h = record.headers().lastHeader(CloudEventHeaders.H_TIME);
        if (h != null && h.value() != null) {
            try {
                return OffsetDateTime.parse(new String(h.value(), StandardCharsets.UTF_8)).toInstant().toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // fall through to the record's own timestamp
            }
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
