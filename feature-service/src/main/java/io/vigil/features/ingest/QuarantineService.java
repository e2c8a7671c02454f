package io.vigil.features.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.features.contract.ContractValidator;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.RawValues;
import io.vigil.features.contract.Verdict;
import io.vigil.features.serving.FeatureCache;

/**
 * The quarantine: REJECTed values with reason and raw payload, and their replay after a fix (a new contract version,
 * say): each open record is judged again by the current ingest feature set; what passes now is stored (never over a
 * newer value) and marked replayed, what still fails stays open with the new reason.
 */
@ApplicationScoped
public class QuarantineService {

    private final FeatureStore store;
    private final FeatureIngestor ingestor;
    private final FeatureCache cache;
    private final ObjectMapper json;

    QuarantineService(FeatureStore store, FeatureIngestor ingestor, FeatureCache cache, ObjectMapper json) {
        this.store = store;
        this.ingestor = ingestor;
        this.cache = cache;
        this.json = json;
    }

    /** A quarantined value. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Quarantined(long id, String eventId, String producer, String entityType, String entityId,
            String feature, Instant eventTime, String reason, String detail, String rawValue, String rawPayload,
            String featureSet, Instant quarantinedAt, Instant replayedAt, String replayOutcome, String replayedBy) {
    }

    /** Outcome of replaying one record. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Replayed(long id, String feature, String outcome, String detail) {
    }

    public Uni<List<Quarantined>> list(String feature, String producer, boolean includeReplayed, int limit) {
        return store.pool().preparedQuery("""
                SELECT id, event_id, producer, entity_type, entity_id, feature, event_time, reason, detail, raw_value,
                       raw_payload, feature_set, quarantined_at, replayed_at, replay_outcome, replayed_by
                  FROM quarantined_value
                 WHERE ($1::text IS NULL OR feature = $1) AND ($2::text IS NULL OR producer = $2)
                   AND ($3 OR replayed_at IS NULL)
                 ORDER BY id LIMIT $4""")
                .execute(Tuple.of(feature, producer, includeReplayed, limit))
                .map(rows -> {
                    List<Quarantined> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Quarantined(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
                                r.getString(4), r.getString(5), r.getOffsetDateTime(6).toInstant(), r.getString(7),
                                r.getString(8), r.getString(9), r.getString(10), r.getString(11),
                                r.getOffsetDateTime(12).toInstant(),
                                r.getOffsetDateTime(13) == null ? null : r.getOffsetDateTime(13).toInstant(),
                                r.getString(14), r.getString(15)));
                    }
                    return out;
                });
    }

    /**
     * Replays open records: those with the given ids, or (ids empty) all open records of {@code feature}, or all open
     * records when both are empty.
     *
     * @param actor who replays (the bearer token's subject), recorded on every record replayed
     */
    public Uni<List<Replayed>> replay(List<Long> ids, String feature, String actor) {
        FeatureSet set = ingestor.ingestSet();
        List<Replayed> results = new ArrayList<>();
        List<FeatureCache.EntityRef> touched = new ArrayList<>();
        return store.pool().withTransaction(c -> c.preparedQuery("""
                SELECT id, event_id, producer, entity_type, entity_id, feature, event_time, raw_value
                  FROM quarantined_value
                 WHERE replayed_at IS NULL AND (cardinality($1::bigint[]) = 0 OR id = ANY($1))
                   AND ($2::text IS NULL OR feature = $2)
                 ORDER BY id FOR UPDATE""")
                .execute(Tuple.of(ids.toArray(Long[]::new), feature))
                .flatMap(rows -> {
                    List<FeatureStore.ValueRow> values = new ArrayList<>();
                    List<Tuple> done = new ArrayList<>();
                    List<Tuple> still = new ArrayList<>();
                    for (Row r : rows) {
                        long id = r.getLong(0);
                        String name = r.getString(5);
                        FeatureContract contract = set.feature(name).orElse(null);
                        EntityKind kind = EntityKind.valueOf(r.getString(3));
                        Verdict v = contract == null || contract.entity() != kind
                                ? new Verdict(Verdict.Outcome.REJECT, Verdict.Reason.NONE, null,
                                        name + ": no " + kind.yamlName() + " feature of that name in " + set.id())
                                : ContractValidator.judge(contract, parseRaw(r.getString(7)), r.getString(2));
                        if (v.stored()) {
                            values.add(new FeatureStore.ValueRow(kind, r.getString(4), name, RawValues.toStored(v.value()),
                                    contract.type(), v.outcome() == Verdict.Outcome.FLAG,
                                    v.outcome() == Verdict.Outcome.FLAG ? v.reason().name() : null,
                                    r.getOffsetDateTime(6).toInstant(), r.getString(2), r.getString(1), set.id()));
                            done.add(Tuple.of(id, v.outcome().name(), actor));
                            touched.add(new FeatureCache.EntityRef(kind, r.getString(4)));
                            results.add(new Replayed(id, name, v.outcome().name(), v.detail()));
                        } else {
                            still.add(Tuple.of(id, v.detail(), set.id(), actor));
                            results.add(new Replayed(id, name, "REJECT", v.detail()));
                        }
                    }
                    Uni<Void> marks = done.isEmpty() ? Uni.createFrom().voidItem()
                            : c.preparedQuery("UPDATE quarantined_value SET replayed_at = now(), replay_outcome = $2, replayed_by = $3 WHERE id = $1")
                                    .executeBatch(done).replaceWithVoid();
                    Uni<Void> keeps = still.isEmpty() ? Uni.createFrom().voidItem()
                            : c.preparedQuery("UPDATE quarantined_value SET detail = $2, feature_set = $3, replayed_by = $4 WHERE id = $1")
                                    .executeBatch(still).replaceWithVoid();
                    return store.upsertValues(c, values).chain(() -> marks).chain(() -> keeps);
                }))
                .map(ignored -> {
                    touched.forEach(ref -> cache.invalidate(ref.kind(), ref.id()));
                    return results;
                });
    }

    /** Schema drift records, newest first. */
    public Uni<List<Map<String, Object>>> drift(String producer) {
        return store.pool().preparedQuery("""
                SELECT producer, entity_type, field, kind, detail, occurrences, first_seen, last_seen, last_event_id
                  FROM schema_drift WHERE ($1::text IS NULL OR producer = $1) ORDER BY last_seen DESC, field""")
                .execute(Tuple.of(producer))
                .map(rows -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (Row r : rows) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("producer", r.getString(0));
                        m.put("entity_type", r.getString(1));
                        m.put("field", r.getString(2));
                        m.put("kind", r.getString(3));
                        m.put("detail", r.getString(4));
                        m.put("occurrences", r.getLong(5));
                        m.put("first_seen", r.getOffsetDateTime(6).toInstant().toString());
                        m.put("last_seen", r.getOffsetDateTime(7).toInstant().toString());
                        m.put("last_event_id", r.getString(8));
                        out.add(m);
                    }
                    return out;
                });
    }

    private Object parseRaw(String rawJson) {
        if (rawJson == null) {
            return null;
        }
        try {
            return RawValues.fromJson(json.readTree(rawJson));
        } catch (JsonProcessingException e) {
            return new RawValues.Structured(rawJson);
        }
    }
}
