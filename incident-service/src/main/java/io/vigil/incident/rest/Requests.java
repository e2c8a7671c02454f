package io.vigil.incident.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Field checks shared by the resources: each failure names its field. */
final class Requests {

    static final int MAX_TEXT = 4000;
    static final int MAX_NAME = 200;
    private static final Pattern COMPONENT = Pattern.compile("checkout-risk-scoring|step-up|payments-[a-z0-9-]{1,32}");
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@:+-]{1,200}");

    private Requests() {
    }

    static UUID id(String raw, String field) {
        try {
            return UUID.fromString(raw == null ? "" : raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidField(field, "not a UUID");
        }
    }

    static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidField(field, "is required");
        }
        return cleaned(value, field, max);
    }

    static String optionalText(String value, String field, int max) {
        return value == null ? "" : cleaned(value, field, max);
    }

    private static String cleaned(String value, String field, int max) {
        if (value.length() > max) {
            throw new InvalidField(field, "longer than " + max + " characters");
        }
        for (int k = 0; k < value.length(); k++) {
            char ch = value.charAt(k);
            if (ch == 0 || (Character.isISOControl(ch) && ch != '\n' && ch != '\t')) {
                throw new InvalidField(field, "contains control characters");
            }
        }
        return value.strip();
    }

    static String subject(String value, String field) {
        if (value == null || !SUBJECT.matcher(value).matches()) {
            throw new InvalidField(field, "must be a user name (letters, digits, . _ @ : + -), at most 200");
        }
        return value;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidField(field, "is required (one of " + java.util.Arrays.toString(type.getEnumConstants()) + ")");
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidField(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    static Instant optionalInstant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidField(field, "not an RFC 3339 UTC timestamp like 2026-11-29T09:00:00Z");
        }
    }

    static LocalDate date(String value, String field) {
        if (value == null) {
            throw new InvalidField(field, "is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidField(field, "not a date like 2026-12-15");
        }
    }

    static List<String> components(List<String> values, String field) {
        if (values == null || values.isEmpty()) {
            throw new InvalidField(field, "at least one component is required (checkout-risk-scoring, step-up, payments-<region>)");
        }
        if (values.size() > 20) {
            throw new InvalidField(field, "at most 20 components");
        }
        for (int k = 0; k < values.size(); k++) {
            String v = values.get(k);
            if (v == null || !COMPONENT.matcher(v).matches()) {
                throw new InvalidField(field + "[" + k + "]",
                        "must be checkout-risk-scoring, step-up or payments-<region> (lowercase)");
            }
        }
        return values.stream().distinct().toList();
    }

    static double fraction(Double value, String field) {
        if (value == null || !Double.isFinite(value) || value <= 0 || value > 1) {
            throw new InvalidField(field, "must be a number in (0, 1]");
        }
        return value;
    }

    static int positive(Integer value, String field, int max) {
        if (value == null || value < 1 || value > max) {
            throw new InvalidField(field, "must be an integer in [1, " + max + "]");
        }
        return value;
    }
}
