package io.vigil.incident.communication;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads request bodies field by field, so a bad one is refused naming the field (never a 500, never a half-read
 * object), and unknown fields are refused rather than ignored (a typo in {@code next_decision_at} must not silently
 * drop the decision time).
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static JsonNode object(ObjectMapper json, String body, Set<String> allowed) {
        JsonNode tree;
        try {
            tree = json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw CommsProblem.badField("body", "not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw CommsProblem.badField("body", "expected a JSON object");
        }
        var names = tree.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw CommsProblem.badField(name.length() > 64 ? name.substring(0, 64) : name, "unknown field");
            }
        }
        return tree;
    }

    public static String text(JsonNode tree, String field, boolean required, int maxLength) {
        JsonNode node = tree.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw CommsProblem.badField(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw CommsProblem.badField(field, "must be a string");
        }
        String s = node.textValue();
        if (required && s.isBlank()) {
            throw CommsProblem.badField(field, "must not be blank");
        }
        if (s.length() > maxLength) {
            throw CommsProblem.badField(field, "longer than " + maxLength + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
                throw CommsProblem.badField(field, "contains a control character");
            }
        }
        return s;
    }

    public static Instant instant(JsonNode tree, String field) {
        String s = text(tree, field, false, 64);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw CommsProblem.badField(field, "must be an RFC 3339 UTC time such as 2026-11-29T10:30:00Z");
        }
    }

    public static Boolean bool(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw CommsProblem.badField(field, "must be true or false");
        }
        return node.booleanValue();
    }

    /** A {@code limit} query parameter: an integer in 1..1000. */
    public static int limit(String value) {
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw CommsProblem.badField("limit", "must be an integer within 1..1000");
    }
}
