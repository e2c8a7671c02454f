package io.vigil.riskmodel.population;

import io.vigil.riskmodel.catalog.FeatureDefinition;
import io.vigil.riskmodel.catalog.PaymentFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment of the population given by equality conditions on coded features, e.g. country=CA and age band 18-24.
 *
 * @param conditions all must hold; an empty list is everyone
 */
public record Cohort(List<Condition> conditions) {

    /** {@code feature == value}. */
    public record Condition(PaymentFeature feature, float value) {
        @Override
        public String toString() {
            return feature.featureName() + "=" + feature.definition().label(value);
        }
    }

    public Cohort {
        conditions = List.copyOf(conditions);
    }

    public boolean matches(float[] row, int offset) {
        for (Condition c : conditions) {
            if (row[offset + c.feature().ordinal()] != c.value()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code name=value[,name=value...]}, a value being a level label (CA, 18-24, social) or a number.
     *
     * @throws IllegalArgumentException naming the unknown feature or value
     */
    public static Cohort parse(String text) {
        List<Condition> conditions = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("cohort condition '" + part + "' is not name=value");
            }
            PaymentFeature feature = feature(kv[0].trim());
            conditions.add(new Condition(feature, value(feature, kv[1].trim())));
        }
        return new Cohort(conditions);
    }

    static PaymentFeature feature(String name) {
        for (PaymentFeature f : PaymentFeature.values()) {
            if (f.featureName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown feature '" + name + "'");
    }

    static float value(PaymentFeature feature, String text) {
        FeatureDefinition d = feature.definition();
        int code = d.code(text);
        if (code >= 0) {
            return code;
        }
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a value of " + feature.featureName()
                    + (d.levels().isEmpty() ? "" : " (one of " + d.levels() + ")"));
        }
    }

    @Override
    public String toString() {
        return conditions.isEmpty() ? "all" : String.join(",", conditions.stream().map(Condition::toString).toList());
    }
}
