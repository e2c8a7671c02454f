package io.vigil.features.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.RawValues;
import io.vigil.features.contract.Verdict;
import io.vigil.features.health.FeatureHealthMonitor;
import io.vigil.features.serving.FeatureCache;

/**
 * Applies upstream updates: judges every value against the ingest feature set, then in one transaction records the
 * event ids (a replayed id changes nothing), upserts ACCEPT/FLAG values (never over a newer event time), quarantines
 * REJECTs with the raw payload and records schema drift. After the commit it invalidates the serving cache for the
 * touched entities and feeds feature health.
 */
@ApplicationScoped
public class FeatureIngestor {

    private static final Logger LOG = Logger.getLogger(FeatureIngestor.class);

    private final FeatureStore store;
    private final FeatureContracts contracts;
    private final FeatureCache cache;
    private final FeatureHealthMonitor health;
    private final FeaturesConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Counter[]> outcomes = new ConcurrentHashMap<>();

    FeatureIngestor(FeatureStore store, FeatureContracts contracts, FeatureCache cache, FeatureHealthMonitor health,
            FeaturesConfig config, ObjectMapper json, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.contracts = contracts;
        this.cache = cache;
        this.health = health;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.registry = registry;
    }

    public FeatureSet ingestSet() {
        return contracts.latest(config.ingest().featureSet()).orElseThrow(
                () -> new IllegalStateException("no feature set " + config.ingest().featureSet() + " is loaded"));
    }

    /**
     * @param source where the updates came from, recorded with their event ids (e.g. {@code rest}, a ce_source)
     */
    public Uni<IngestResult> ingest(List<FeatureUpdate> updates, String source) {
        FeatureSet set = ingestSet();
        Map<String, FeatureUpdate> unique = new LinkedHashMap<>();
        for (FeatureUpdate u : updates) {
            unique.putIfAbsent(u.eventId(), u);
        }
        int inBatchDuplicates = updates.size() - unique.size();
        List<Judged> judged = new ArrayList<>(unique.size());
        for (FeatureUpdate u : unique.values()) {
            judged.add(UpdateJudge.judge(set, u));
        }
        List<String> ids = new ArrayList<>(unique.keySet());
        List<String> sources = new ArrayList<>(ids.size());
        for (FeatureUpdate u : unique.values()) {
            sources.add(source + ":" + u.producer());
        }
        Instant now = clock.instant();
        return store.pool().withTransaction(c -> store.claim(c, ids, "vigil.events.v1.FeatureUpdate", sources)
                .flatMap(fresh -> {
                    List<Judged> applied = judged.stream().filter(j -> fresh.contains(j.update().eventId())).toList();
                    List<FeatureStore.ValueRow> values = new ArrayList<>();
                    List<FeatureStore.QuarantineRow> quarantine = new ArrayList<>();
                    List<Judged.Drift> drift = new ArrayList<>();
                    List<String> driftIds = new ArrayList<>();
                    for (Judged j : applied) {
                        rows(j, values, quarantine);
                        for (Judged.Drift d : j.drift()) {
                            drift.add(d);
                            driftIds.add(j.update().eventId());
                        }
                    }
                    return store.upsertValues(c, values)
                            .chain(() -> store.quarantine(c, quarantine))
                            .chain(() -> store.drift(c, drift, now, driftIds))
                            .replaceWith(applied);
                }))
                .call(applied -> afterCommit(applied, now))
                .map(applied -> {
                    long accepted = 0;
                    long flagged = 0;
                    long rejected = 0;
                    for (Judged j : applied) {
                        accepted += j.count(Verdict.Outcome.ACCEPT);
                        flagged += j.count(Verdict.Outcome.FLAG);
                        rejected += j.count(Verdict.Outcome.REJECT);
                    }
                    return new IngestResult(applied.size(), inBatchDuplicates + unique.size() - applied.size(),
                            accepted, flagged, rejected, applied);
                });
    }

    private Uni<Void> afterCommit(List<Judged> applied, Instant now) {
        Set<FeatureCache.EntityRef> touched = new HashSet<>();
        for (Judged j : applied) {
            if (j.values().stream().anyMatch(v -> v.verdict().stored())) {
                touched.add(new FeatureCache.EntityRef(j.update().entity(), j.update().entityId()));
            }
        }
        touched.forEach(ref -> cache.invalidate(ref.kind(), ref.id()));
        for (Judged j : applied) {
            for (Judged.Value v : j.values()) {
                outcomeCounters(v.contract().name())[v.verdict().outcome().ordinal()].increment();
            }
        }
        if (applied.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the values are committed: a health failure must not turn the ingest into an error (or a Kafka retry)
        return health.observe(applied, now).onFailure().recoverWithItem(e -> {
            LOG.warnf("feature health skipped a batch of %d updates: %s", applied.size(), e.toString());
            return null;
        });
    }

    private Counter[] outcomeCounters(String feature) {
        return outcomes.computeIfAbsent(feature, f -> {
            Verdict.Outcome[] all = Verdict.Outcome.values();
            Counter[] c = new Counter[all.length];
            for (Verdict.Outcome o : all) {
                c[o.ordinal()] = Counter.builder("vigil.feature.values")
                        .description("Ingested feature values by verdict (accept, flag, reject)")
                        .tags("feature", f, "outcome", o.name().toLowerCase(Locale.ROOT)).register(registry);
            }
            return c;
        });
    }

    private void rows(Judged j, List<FeatureStore.ValueRow> values, List<FeatureStore.QuarantineRow> quarantine) {
        FeatureUpdate u = j.update();
        String payload = null;
        for (Judged.Value v : j.values()) {
            Verdict verdict = v.verdict();
            if (verdict.stored()) {
                values.add(new FeatureStore.ValueRow(u.entity(), u.entityId(), v.contract().name(),
                        RawValues.toStored(verdict.value()), v.contract().type(),
                        verdict.outcome() == Verdict.Outcome.FLAG,
                        verdict.outcome() == Verdict.Outcome.FLAG ? verdict.reason().name() : null,
                        u.eventTime(), u.producer(), u.eventId(), j.featureSet()));
            } else {
                if (payload == null) {
                    payload = rawPayload(u);
                }
                quarantine.add(new FeatureStore.QuarantineRow(u.eventId(), u.producer(), u.entity(), u.entityId(),
                        v.contract().name(), u.eventTime(), verdict.reason().name(), verdict.detail(),
                        rawJson(v.raw()), payload, j.featureSet()));
            }
        }
    }

    /** The update as received, as JSON: what an operator inspects and what replay re-reads. */
    String rawPayload(FeatureUpdate u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", u.eventId());
        m.put("producer", u.producer());
        m.put("entity", Map.of("type", u.entity().yamlName(), "id", u.entityId()));
        m.put("event_time", u.eventTime().toString());
        Map<String, Object> fields = new LinkedHashMap<>();
        u.fields().forEach((k, v) -> fields.put(k, v instanceof RawValues.Structured s ? s.json() : v));
        m.put("fields", fields);
        m.put("attributes", u.attributes());
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String rawJson(Object raw) {
        if (raw instanceof RawValues.Structured s) {
            return s.json();
        }
        try {
            return json.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
