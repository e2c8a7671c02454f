package io.vigil.features.ingest;

import java.time.Instant;
import java.util.Map;

import io.vigil.features.contract.EntityKind;

/**
 * One upstream update as received (from Kafka or REST), before judgement.
 *
 * @param eventId unique per update; replays carry the same id and change nothing
 * @param producer the upstream system, named in drift reports
 * @param entity entity kind
 * @param entityId entity key
 * @param eventTime when the values were true upstream
 * @param fields feature name to raw value (see {@link io.vigil.features.contract.RawValues}); null values allowed
 * @param attributes segment attributes known to the producer
 */
public record FeatureUpdate(String eventId, String producer, EntityKind entity, String entityId, Instant eventTime,
        Map<String, Object> fields, Map<String, String> attributes) {

    public FeatureUpdate {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
