package io.vigil.riskmodel.catalog;

import java.util.List;

/**
 * What a model feature means, for people.
 *
 * @param name        feature name as the model and the feature contract spell it
 * @param description what the value is
 * @param reason      readable reason shown when the feature pushes a score toward fraud
 * @param levels      labels of a coded categorical feature, by code (empty for numeric features)
 */
public record FeatureDefinition(String name, String description, String reason, List<String> levels) {

    public FeatureDefinition {
        levels = List.copyOf(levels);
    }

    /** Label of a code, or the number itself when the feature is numeric or the code unknown. */
    public String label(float value) {
        int code = (int) value;
        if (code == value && code >= 0 && code < levels.size()) {
            return levels.get(code);
        }
        return Float.toString(value);
    }

    /** Code of a level label, or -1. */
    public int code(String label) {
        return levels.indexOf(label);
    }
}
