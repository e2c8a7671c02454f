package io.vigil.features.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned set of feature contracts; a model declares the set version it was trained on and is served in its terms.
 *
 * @param name e.g. "checkout-features"
 * @param version a positive integer that only grows
 * @param description what the set is for
 * @param owner the team answerable for it
 * @param features contracts in file order
 */
public record FeatureSet(String name, int version, String description, String owner, List<FeatureContract> features) {

    public FeatureSet {
        features = List.copyOf(features);
    }

    /** The wire name, {@code name@version}, as in GetFeaturesRequest.feature_set_version. */
    public String id() {
        return name + "@" + version;
    }

    public Optional<FeatureContract> feature(String featureName) {
        for (FeatureContract f : features) {
            if (f.name().equals(featureName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public Map<String, FeatureContract> byName() {
        Map<String, FeatureContract> m = new LinkedHashMap<>();
        for (FeatureContract f : features) {
            m.put(f.name(), f);
        }
        return m;
    }

    public List<FeatureContract> featuresOf(EntityKind entity) {
        return features.stream().filter(f -> f.entity() == entity).toList();
    }
}
