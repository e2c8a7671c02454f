package io.vigil.features.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.RawValues;
import io.vigil.features.ingest.FeatureUpdate;

/**
 * Reads a REST batch body into updates, or refuses it naming the first bad field (e.g. {@code updates[2].event_time}).
 * A value that breaks its contract is no bad request: it is judged (and quarantined) like one from Kafka.
 */
final class BatchParser {

    private BatchParser() {
    }

    /**
     * @param latest the latest acceptable event time (now plus the allowed clock skew)
     */
    static List<FeatureUpdate> parse(JsonNode body, int maxBatch, Instant latest) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badField("(body)", "expected a JSON object with producer and updates");
        }
        String producer = text(body.get("producer"), "producer");
        JsonNode updates = body.get("updates");
        if (updates == null || !updates.isArray() || updates.isEmpty()) {
            throw ProblemException.badField("updates", "must be a non-empty array");
        }
        if (updates.size() > maxBatch) {
            throw ProblemException.badField("updates", "at most " + maxBatch + " updates per batch, got " + updates.size());
        }
        List<FeatureUpdate> out = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            out.add(update(updates.get(i), producer, "updates[" + i + "]", latest));
        }
        return out;
    }

    private static FeatureUpdate update(JsonNode u, String producer, String path, Instant latest) {
        if (u == null || !u.isObject()) {
            throw ProblemException.badField(path, "must be an object");
        }
        String eventId = text(u.get("event_id"), path + ".event_id");
        JsonNode entity = u.get("entity");
        if (entity == null || !entity.isObject()) {
            throw ProblemException.badField(path + ".entity", "must be an object with type and id");
        }
        String typeText = text(entity.get("type"), path + ".entity.type");
        EntityKind kind = EntityKind.parse(typeText);
        if (kind == null) {
            throw ProblemException.badField(path + ".entity.type",
                    "unknown entity type '" + typeText + "' (account, card, device, merchant)");
        }
        String entityId = text(entity.get("id"), path + ".entity.id");
        String timeText = text(u.get("event_time"), path + ".event_time");
        Instant eventTime;
        try {
            eventTime = Instant.parse(timeText);
        } catch (DateTimeParseException e) {
            throw ProblemException.badField(path + ".event_time", "not an RFC 3339 UTC timestamp: '" + timeText + "'");
        }
        if (eventTime.isAfter(latest)) {
            throw ProblemException.badField(path + ".event_time", "in the future beyond the allowed clock skew: " + timeText);
        }
        JsonNode fields = u.get("fields");
        if (fields == null || !fields.isObject() || fields.isEmpty()) {
            throw ProblemException.badField(path + ".fields", "must be a non-empty object of feature name to value");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            values.put(f.getKey(), RawValues.fromJson(f.getValue()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = u.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) {
                throw ProblemException.badField(path + ".attributes", "must be an object of attribute to string");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> a = it.next();
                if (!a.getValue().isTextual()) {
                    throw ProblemException.badField(path + ".attributes." + a.getKey(), "must be a string");
                }
                attributes.put(a.getKey(), a.getValue().asText());
            }
        }
        return new FeatureUpdate(eventId, producer, kind, entityId, eventTime, values, attributes);
    }

    private static String text(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            throw ProblemException.badField(field, "required");
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ProblemException.badField(field, "must be a non-empty string");
        }
        return n.asText();
    }
}
