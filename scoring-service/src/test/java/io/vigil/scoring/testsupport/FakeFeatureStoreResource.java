package io.vigil.scoring.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a {@link FakeFeatureStore} before Quarkus and points scoring.features.* at it. */
public class FakeFeatureStoreResource implements QuarkusTestResourceLifecycleManager {

    private FakeFeatureStore store;

    @Override
    public Map<String, String> start() {
        try {
            store = FakeFeatureStore.startOnFreePort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake feature store", e);
        }
        return Map.of("scoring.features.host", "127.0.0.1", "scoring.features.port", Integer.toString(store.port()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(store, new TestInjector.MatchesType(FakeFeatureStore.class));
    }

    @Override
    public void stop() {
        if (store != null) {
            try {
                store.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
