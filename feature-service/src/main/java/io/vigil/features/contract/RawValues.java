package io.vigil.features.contract;

import com.fasterxml.jackson.databind.JsonNode;

import io.vigil.contracts.features.v1.FeatureValue;

/**
 * Values as a producer sent them, before judgement: {@code null}, {@link Long}, {@link Double}, {@link Boolean} or
 * {@link String}. Canonical values (after judgement) use the same Java types: LONG as Long, DOUBLE as Double, BOOL as
 * Boolean, ENUM and STRING as String.
 */
public final class RawValues {

    private RawValues() {
    }

    public static Object fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : (Object) n.asDouble();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        // Objects and arrays are no feature value; keep them as text so the verdict can name what arrived.
        return new Structured(n.toString());
    }

    public static Object fromProto(FeatureValue v) {
        return switch (v.getValueCase()) {
            case DOUBLE_VALUE -> v.getDoubleValue();
            case LONG_VALUE -> v.getLongValue();
            case BOOL_VALUE -> v.getBoolValue();
            case STRING_VALUE -> v.getStringValue();
            case VALUE_NOT_SET -> null;
        };
    }

    public static FeatureValue toProto(Object canonical) {
        FeatureValue.Builder b = FeatureValue.newBuilder();
        if (canonical instanceof Double d) {
            b.setDoubleValue(d);
        } else if (canonical instanceof Long l) {
            b.setLongValue(l);
        } else if (canonical instanceof Boolean bo) {
            b.setBoolValue(bo);
        } else if (canonical instanceof String s) {
            b.setStringValue(s);
        }
        return b.build();
    }

    /** The type name of a raw value as a producer would recognise it. */
    public static String typeOf(Object raw) {
        if (raw == null) {
            return "null";
        }
        if (raw instanceof Long) {
            return "long";
        }
        if (raw instanceof Double) {
            return "double";
        }
        if (raw instanceof Boolean) {
            return "bool";
        }
        if (raw instanceof String) {
            return "string";
        }
        return "structured";
    }

    /**
     * The raw value in the contract type's canonical Java type, or null when it is not of that type. A long is a valid
     * double (widening loses nothing a model sees); a double is never a valid long, so a producer that started sending
     * fractions is caught as a type change.
     */
    public static Object canonical(Object raw, FeatureType type) {
        return switch (type) {
            case DOUBLE -> raw instanceof Double d ? d : raw instanceof Long l ? (Object) l.doubleValue() : null;
            case LONG -> raw instanceof Long ? raw : null;
            case BOOL -> raw instanceof Boolean ? raw : null;
            case ENUM, STRING -> raw instanceof String ? raw : null;
        };
    }

    /** Canonical value as stored text; parsed back with {@link #parseStored}. */
    public static String toStored(Object canonical) {
        return canonical == null ? null : canonical.toString();
    }

    public static Object parseStored(String text, FeatureType type) {
        if (text == null) {
            return null;
        }
        try {
            return switch (type) {
                case DOUBLE -> Double.parseDouble(text);
                case LONG -> Long.parseLong(text);
                case BOOL -> Boolean.parseBoolean(text);
                case ENUM, STRING -> text;
            };
        } catch (NumberFormatException e) {
            // stored under a contract of another type; the serving contract sees it as a violation
            return new Structured(text);
        }
    }

    /** A value that is no scalar (a JSON object or array, or stored text unreadable as the serving type). */
    public record Structured(String json) {
        @Override
        public String toString() {
            return json;
        }
    }
}
