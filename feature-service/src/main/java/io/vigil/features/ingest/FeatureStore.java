package io.vigil.features.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.FeatureType;
import io.vigil.features.contract.RawValues;

/** PostgreSQL access for feature values, quarantine and schema drift (reactive client; bulk statements). */
@ApplicationScoped
public class FeatureStore {

    static final String UPSERT_VALUE = """
            INSERT INTO feature_value (entity_type, entity_id, feature, value, value_type, status, flag_reason,
                                       event_time, producer, event_id, feature_set)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (entity_type, entity_id, feature) DO UPDATE
               SET value = excluded.value, value_type = excluded.value_type, status = excluded.status,
                   flag_reason = excluded.flag_reason, event_time = excluded.event_time, producer = excluded.producer,
                   event_id = excluded.event_id, feature_set = excluded.feature_set, ingested_at = now()
             WHERE excluded.event_time > feature_value.event_time""";

    private final Pool pool;

    FeatureStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * A stored value row (what serving reads).
     *
     * @param value the value parsed by its stored type (see {@link RawValues#parseStored}); null for a stored null
     */
    public record StoredValue(String feature, Object value, FeatureType valueType, boolean flagged, String flagReason,
            Instant eventTime) {
    }

    /** A value to upsert. */
    public record ValueRow(EntityKind entity, String entityId, String feature, String value, FeatureType type,
            boolean flagged, String flagReason, Instant eventTime, String producer, String eventId, String featureSet) {
    }

    /** A value to quarantine. */
    public record QuarantineRow(String eventId, String producer, EntityKind entity, String entityId, String feature,
            Instant eventTime, String reason, String detail, String rawValue, String rawPayload, String featureSet) {
    }

    /** Records event ids as processed; returns those not seen before (the ones to apply). */
    Uni<Set<String>> claim(SqlConnection c, List<String> eventIds, String type, List<String> sources) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] types = new String[eventIds.size()];
        java.util.Arrays.fill(types, type);
        return c.preparedQuery("""
                INSERT INTO processed_event (event_id, event_type, source)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                ON CONFLICT (event_id) DO NOTHING RETURNING event_id""")
                .execute(Tuple.of(eventIds.toArray(String[]::new), types, sources.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row r : rows) {
                        fresh.add(r.getString(0));
                    }
                    return fresh;
                });
    }

    Uni<Void> upsertValues(SqlConnection c, List<ValueRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(rows.size());
        for (ValueRow r : rows) {
            batch.add(Tuple.tuple().addString(r.entity().name()).addString(r.entityId()).addString(r.feature())
                    .addString(r.value()).addString(r.type().name()).addString(r.flagged() ? "FLAG" : "ACCEPT")
                    .addString(r.flagReason()).addOffsetDateTime(utc(r.eventTime())).addString(r.producer())
                    .addString(r.eventId()).addString(r.featureSet()));
        }
        return c.preparedQuery(UPSERT_VALUE).executeBatch(batch).replaceWithVoid();
    }

    Uni<Void> quarantine(SqlConnection c, List<QuarantineRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(rows.size());
        for (QuarantineRow r : rows) {
            batch.add(Tuple.tuple().addString(r.eventId()).addString(r.producer()).addString(r.entity().name()).addString(r.entityId()).addString(r.feature())
                    .addOffsetDateTime(utc(r.eventTime())).addString(r.reason()).addString(r.detail())
                    .addString(r.rawValue()).addString(r.rawPayload()).addString(r.featureSet()));
        }
        return c.preparedQuery("""
                INSERT INTO quarantined_value (event_id, producer, entity_type, entity_id, feature, event_time, reason,
                                               detail, raw_value, raw_payload, feature_set)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (event_id, feature) DO NOTHING""").executeBatch(batch).replaceWithVoid();
    }

    Uni<Void> drift(SqlConnection c, List<Judged.Drift> drift, Instant now, List<String> eventIds) {
        if (drift.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(drift.size());
        for (int i = 0; i < drift.size(); i++) {
            Judged.Drift d = drift.get(i);
            batch.add(Tuple.tuple().addString(d.producer()).addString(d.entityType()).addString(d.field()).addString(d.kind().name()).addString(d.detail())
                    .addOffsetDateTime(utc(now)).addString(eventIds.get(i)));
        }
        return c.preparedQuery("""
                INSERT INTO schema_drift (producer, entity_type, field, kind, detail, occurrences, first_seen, last_seen,
                                          last_event_id)
                VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7)
                ON CONFLICT (producer, entity_type, field, kind) DO UPDATE
                   SET occurrences = schema_drift.occurrences + 1, detail = excluded.detail,
                       last_seen = excluded.last_seen, last_event_id = excluded.last_event_id""")
                .executeBatch(batch).replaceWithVoid();
    }

    /** The stored values of one entity. */
    public Uni<Map<String, StoredValue>> load(EntityKind entity, String entityId) {
        return pool.preparedQuery("""
                SELECT feature, value, value_type, status, flag_reason, event_time
                  FROM feature_value WHERE entity_type = $1 AND entity_id = $2""")
                .execute(Tuple.of(entity.name(), entityId))
                .map(rows -> {
                    Map<String, StoredValue> out = new HashMap<>();
                    for (Row r : rows) {
                        FeatureType type = FeatureType.valueOf(r.getString(2));
                        out.put(r.getString(0), new StoredValue(r.getString(0),
                                RawValues.parseStored(r.getString(1), type), type, "FLAG".equals(r.getString(3)), r.getString(4),
                                r.getOffsetDateTime(5).toInstant()));
                    }
                    return out;
                });
    }

    /** Stored values of the given features for many entities: entity id to feature to value text. */
    public Uni<Map<String, Map<String, String>>> values(EntityKind entity, Set<String> entityIds, List<String> features) {
        if (entityIds.isEmpty() || features.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                SELECT entity_id, feature, value FROM feature_value
                 WHERE entity_type = $1 AND entity_id = ANY($2) AND feature = ANY($3) AND value IS NOT NULL""")
                .execute(Tuple.of(entity.name(), entityIds.toArray(String[]::new), features.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Map<String, String>> out = new HashMap<>();
                    for (Row r : rows) {
                        out.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1), r.getString(2));
                    }
                    return out;
                });
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
