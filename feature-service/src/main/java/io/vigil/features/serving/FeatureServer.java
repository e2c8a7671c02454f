package io.vigil.features.serving;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;
import io.vigil.eventing.ProtoTime;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.RawValues;
import io.vigil.features.ingest.FeatureStore.StoredValue;

/**
 * GetFeatures: validates the request (INVALID_ARGUMENT naming every bad field), then answers each requested feature of
 * each entity with a status, in the terms of the requested feature set version. Cached entities are answered without
 * leaving the calling thread.
 */
@ApplicationScoped
public class FeatureServer {

    private final FeatureContracts contracts;
    private final FeatureCache cache;
    private final FeaturesConfig config;
    private final Clock clock;
    private final Counter abandoned;
    private final Map<String, EnumMap<EntityKind, List<FeatureContract>>> byEntity = new ConcurrentHashMap<>();

    FeatureServer(FeatureContracts contracts, FeatureCache cache, FeaturesConfig config, Clock clock,
            MeterRegistry registry) {
        this.contracts = contracts;
        this.cache = cache;
        this.config = config;
        this.clock = clock;
        // Counts lookups given up at the caller's deadline: zero under a deadline-carrying load means the deadline never
        // reached this server (it did not, on the shared Vert.x port).
        this.abandoned = Counter.builder("vigil.features.lookups.abandoned")
                .description("GetFeatures database loads abandoned because the caller's deadline passed")
                .register(registry);
    }

    /** One entity's part of the answer: its key and the features to serve for it. */
    private record Part(EntityKey key, FeatureCache.EntityRef ref, List<FeatureContract> features) {
    }

    public Uni<GetFeaturesResponse> getFeatures(GetFeaturesRequest request) {
        return getFeatures(request, null);
    }

    /**
     * @param budget how long a database load may take (the caller's remaining deadline); null for no limit. Only the
     *        slow path arms a timer: a fully cached answer is complete before it could fire.
     * @throws StatusRuntimeException INVALID_ARGUMENT naming the fields that are wrong
     */
    public Uni<GetFeaturesResponse> getFeatures(GetFeaturesRequest request, java.time.Duration budget) {
        String spec = request.getFeatureSetVersion().isEmpty() ? config.serving().defaultFeatureSet()
                : request.getFeatureSetVersion();
        FeatureSet set = contracts.resolve(spec).orElseThrow(() -> invalid(
                "feature_set_version: unknown feature set version '" + echo(spec) + "' (known: " + contracts.versions() + ")"));
        List<Part> parts = plan(request, set);

        GetFeaturesResponse.Builder response = GetFeaturesResponse.newBuilder().setFeatureSetVersion(set.id());
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        Map<String, StoredValue>[] cached = new Map[parts.size()];
        boolean allCached = true;
        for (int i = 0; i < cached.length && allCached; i++) {
            cached[i] = cache.getIfLoaded(parts.get(i).ref());
            allCached = cached[i] != null;
        }
        if (allCached) {
            for (int i = 0; i < cached.length; i++) {
                append(response, parts.get(i), cached[i], now);
            }
            return Uni.createFrom().item(response.build());
        }
        List<Uni<Map<String, StoredValue>>> loads = new ArrayList<>(parts.size());
        for (Part p : parts) {
            loads.add(cache.get(p.ref()));
        }
        Uni<GetFeaturesResponse> answer = Uni.join().all(loads).andFailFast().map(values -> {
            Instant at = clock.instant();
            for (int i = 0; i < parts.size(); i++) {
                append(response, parts.get(i), values.get(i), at);
            }
            return response.build();
        });
        return budget == null ? answer : answer.ifNoItem().after(budget).failWith(() -> {
            abandoned.increment();
            return Status.DEADLINE_EXCEEDED
                    .withDescription("feature lookup did not finish within the caller's deadline").asRuntimeException();
        });
    }

    private List<Part> plan(GetFeaturesRequest request, FeatureSet set) {
        if (request.getEntitiesCount() == 0) {
            throw invalid("entities: at least one entity key is required");
        }
        if (request.getEntitiesCount() > MAX_ENTITIES) {
            throw invalid("entities: at most " + MAX_ENTITIES + " entity keys per call, got " + request.getEntitiesCount());
        }
        EnumMap<EntityKind, List<FeatureContract>> perEntity = byEntity.computeIfAbsent(set.id(), id -> {
            EnumMap<EntityKind, List<FeatureContract>> m = new EnumMap<>(EntityKind.class);
            for (EntityKind k : EntityKind.values()) {
                m.put(k, set.featuresOf(k));
            }
            return m;
        });
        List<String> problems = null;
        Set<EntityKind> requested = new HashSet<>();
        for (int i = 0; i < request.getEntitiesCount(); i++) {
            EntityKey key = request.getEntities(i);
            EntityKind kind = EntityKind.of(key.getType());
            if (kind == null) {
                problems = add(problems, "entities[" + i + "].type: unknown entity type " + key.getTypeValue()
                        + " (" + key.getType() + ")");
            } else {
                requested.add(kind);
            }
            if (key.getId().isEmpty()) {
                problems = add(problems, "entities[" + i + "].id: empty");
            } else if (key.getId().length() > MAX_ID_LENGTH) {
                problems = add(problems, "entities[" + i + "].id: longer than " + MAX_ID_LENGTH + " characters");
            } else if (hasControlCharacter(key.getId())) {
                // A NUL byte would reach PostgreSQL and fail the statement: refuse it here, naming the field.
                problems = add(problems, "entities[" + i + "].id: contains a control character");
            }
        }
        Map<EntityKind, List<FeatureContract>> wanted = perEntity;
        if (request.getFeatureNamesCount() > 0) {
            Map<EntityKind, List<FeatureContract>> chosen = new EnumMap<>(EntityKind.class);
            Set<String> unknown = new LinkedHashSet<>();
            Set<String> unmatched = new LinkedHashSet<>();
            for (String name : request.getFeatureNamesList()) {
                FeatureContract c = set.feature(name).orElse(null);
                if (c == null) {
                    unknown.add(echo(name));
                } else if (!requested.contains(c.entity())) {
                    unmatched.add(name + " (" + c.entity().yamlName() + ")");
                } else {
                    List<FeatureContract> l = chosen.computeIfAbsent(c.entity(), k -> new ArrayList<>());
                    if (!l.contains(c)) {
                        l.add(c);
                    }
                }
            }
            if (!unknown.isEmpty()) {
                problems = add(problems, "feature_names: not in " + set.id() + ": " + String.join(", ", unknown));
            }
            if (!unmatched.isEmpty()) {
                problems = add(problems, "feature_names: no entity of their type requested: " + String.join(", ", unmatched));
            }
            wanted = chosen;
        }
        if (problems != null) {
            throw invalid(String.join("; ", problems));
        }
        List<Part> parts = new ArrayList<>(request.getEntitiesCount());
        for (EntityKey key : request.getEntitiesList()) {
            EntityKind kind = EntityKind.of(key.getType());
            List<FeatureContract> features = wanted.getOrDefault(kind, List.of());
            if (!features.isEmpty()) {
                parts.add(new Part(key, new FeatureCache.EntityRef(kind, key.getId()), features));
            }
        }
        return parts;
    }

    private static void append(GetFeaturesResponse.Builder response, Part p, Map<String, StoredValue> stored,
            Instant now) {
        for (FeatureContract c : p.features()) {
            StoredValue sv = stored.get(c.name());
            ServedStatus.Served s = ServedStatus.of(c, sv, now);
            ServedFeature.Builder f = ServedFeature.newBuilder().setName(c.name()).setEntity(p.key()).setStatus(s.status());
            if (s.value() != null) {
                f.setValue(RawValues.toProto(s.value()));
            }
            if (sv != null) {
                f.setEventTime(ProtoTime.of(sv.eventTime()));
            }
            response.addFeatures(f);
        }
    }

    private static List<String> add(List<String> problems, String p) {
        List<String> l = problems == null ? new ArrayList<>() : problems;
        l.add(p);
        return l;
    }

    /** Longest entity id accepted; ids are opaque keys, never free text. */
    static final int MAX_ID_LENGTH = 256;
    /** Most entity keys per call: a payment names a handful; thousands would be a scan, not a lookup. */
    static final int MAX_ENTITIES = 64;

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * A caller's value as quoted back in a description: at most 64 characters, control characters as '?'. The
     * description travels in a response trailer; echoing a 100,000-character name made it too large for HTTP/2 and
     * the caller got INTERNAL (a reset stream) instead of INVALID_ARGUMENT (found by the fuzz test).
     */
    static String echo(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), 70));
        for (int i = 0; i < value.length() && i < 64; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > 64 ? b.append("...").toString() : b.toString();
    }

    private static StatusRuntimeException invalid(String description) {
        // A bound on the whole description too: many long names are as bad as one.
        String bounded = description.length() > 1_000 ? description.substring(0, 1_000) + "..." : description;
        return Status.INVALID_ARGUMENT.withDescription(bounded).asRuntimeException();
    }
}
