package io.vigil.features.health;

import java.util.List;

/**
 * A population segment a feature's health is tracked for: one cohort attribute and its value, or the whole
 * population ({@link #ALL}).
 */
public record Segment(String attribute, String value) {

    /** The cohort attributes (the shared agreement with scoring-service), in observation order. */
    public static final List<String> ATTRIBUTES = List.of("country", "region", "customer_age_band", "channel",
            "login_method");

    public static final Segment ALL = new Segment("", "");

    public boolean all() {
        return attribute.isEmpty();
    }

    @Override
    public String toString() {
        return all() ? "all" : attribute + "=" + value;
    }

    /** Parses "all" or "attribute=value"; null if malformed or the attribute is not a cohort attribute. */
    public static Segment parse(String text) {
        if (text == null) {
            return null;
        }
        if ("all".equals(text)) {
            return ALL;
        }
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1 || !ATTRIBUTES.contains(text.substring(0, eq))) {
            return null;
        }
        return new Segment(text.substring(0, eq), text.substring(eq + 1));
    }
}
