package io.vigil.features.contract;

import java.util.Locale;

/** The value type of a feature, as written in a contract file (lower case). */
public enum FeatureType {
    DOUBLE, LONG, BOOL, ENUM, STRING;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the type, or null if {@code name} is not one */
    public static FeatureType parse(String name) {
        if (name == null) {
            return null;
        }
        for (FeatureType t : values()) {
            if (t.yamlName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }

    public boolean numeric() {
        return this == DOUBLE || this == LONG;
    }

    /** Whether the type's values are categories (PSI bins are its levels rather than quantiles). */
    public boolean categorical() {
        return this == ENUM || this == BOOL || this == STRING;
    }
}
