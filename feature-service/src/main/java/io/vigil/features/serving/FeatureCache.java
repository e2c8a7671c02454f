package io.vigil.features.serving;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.Uni;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.ingest.FeatureStore;
import io.vigil.features.ingest.FeatureStore.StoredValue;

/**
 * Bounded cache of stored feature values per entity, in front of PostgreSQL. A miss loads the entity's row set once
 * (concurrent misses share the load). Ingest invalidates an entity after its transaction commits; invalidating also
 * drops a load still in flight, so a read that started before the commit cannot park old values in the cache.
 */
@ApplicationScoped
public class FeatureCache {

    /** Cache key. */
    public record EntityRef(EntityKind kind, String id) {
    }

    private final AsyncCache<EntityRef, Map<String, StoredValue>> cache;
    private final BiFunction<EntityRef, Executor, CompletableFuture<Map<String, StoredValue>>> loader;

    @Inject
    FeatureCache(FeatureStore store, FeaturesConfig config) {
        this((ref, executor) -> store.load(ref.kind(), ref.id()).subscribeAsCompletionStage(),
                config.serving().cacheMaxEntities(), config.serving().cacheTtl());
    }

    FeatureCache(BiFunction<EntityRef, Executor, CompletableFuture<Map<String, StoredValue>>> loader, long maxEntities,
            java.time.Duration ttl) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntities)
                .expireAfterWrite(ttl)
                // completions run on the thread that finished the load (a Vert.x event loop), no pool hop
                .executor(Runnable::run)
                .buildAsync();
        this.loader = loader;
    }

    public Uni<Map<String, StoredValue>> get(EntityRef ref) {
        return Uni.createFrom().completionStage(cache.get(ref, loader));
    }

    /** The already-loaded values of an entity, or null: lets the hot path skip the Uni machinery on a hit. */
    public Map<String, StoredValue> getIfLoaded(EntityRef ref) {
        CompletableFuture<Map<String, StoredValue>> f = cache.getIfPresent(ref);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.getNow(null) : null;
    }

    public void invalidate(EntityKind kind, String id) {
        cache.synchronous().invalidate(new EntityRef(kind, id));
    }

    public long size() {
        return cache.synchronous().estimatedSize();
    }
}
