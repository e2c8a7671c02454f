package io.vigil.riskmodel.catalog;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Readable meaning of model features: used to turn TreeSHAP contributions into reason codes. Immutable. */
public final class FeatureCatalog {

    /** Version of the feature contract whose names and encodings {@link PaymentFeature} follows. */
    public static final String CONTRACT_VERSION = "checkout-features/v1";

    private static final FeatureCatalog STANDARD = new FeatureCatalog(CONTRACT_VERSION,
            Arrays.stream(PaymentFeature.values()).map(PaymentFeature::definition).toList());

    private final String contractVersion;
    private final Map<String, FeatureDefinition> byName;

    public FeatureCatalog(String contractVersion, Collection<FeatureDefinition> definitions) {
        this.contractVersion = contractVersion;
        Map<String, FeatureDefinition> map = new LinkedHashMap<>();
        for (FeatureDefinition d : definitions) {
            if (map.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("feature '" + d.name() + "' is defined twice in the catalog");
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(map);
    }

    /** The catalog of the checkout features the synthetic population and the default model use. */
    public static FeatureCatalog standard() {
        return STANDARD;
    }

    public String contractVersion() {
        return contractVersion;
    }

    public Optional<FeatureDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Readable reason for a feature; a feature the catalog does not know is shown by its name. */
    public String reason(String name) {
        FeatureDefinition d = byName.get(name);
        return d == null ? name : d.reason();
    }

    public Collection<FeatureDefinition> definitions() {
        return byName.values();
    }
}
