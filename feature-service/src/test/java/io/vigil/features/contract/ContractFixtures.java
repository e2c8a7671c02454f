package io.vigil.features.contract;

import java.io.IOException;
import java.io.InputStream;

/** The published checkout-features v1 contract, as shipped on the classpath. */
final class ContractFixtures {

    private ContractFixtures() {
    }

    static FeatureSet checkoutV1() {
        try (InputStream in = ContractFixtures.class.getResourceAsStream("/feature-contracts/checkout-features-v1.yaml")) {
            if (in == null) {
                throw new IllegalStateException("checkout-features-v1.yaml not on the classpath");
            }
            return new FeatureSetParser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String minimal(String featureYaml) {
        return "feature_set: demo\nversion: 1\nfeatures:\n" + featureYaml;
    }
}
