package io.vigil.features.health;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.features.config.FeaturesConfig;

/**
 * Audited re-baselines of feature health. The audit row is committed first, then the reference is reset here; every
 * other instance applies the rows it has not applied yet every {@code features.health.rebaseline-refresh}, because
 * each instance's health windows live in its memory.
 */
@ApplicationScoped
public class HealthRebaselines {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HealthRebaselines.class);

    /** One audited re-baseline. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Rebaseline(long id, OffsetDateTime at, String actor, String reason, String feature, String segment,
            List<String> featuresReset, List<String> alarmsCleared) {
    }

    private final Pool pool;
    private final FeatureHealthMonitor monitor;
    private final Clock clock;
    private final io.vertx.core.Vertx vertx;
    private final java.time.Duration refresh;
    /** Highest audit id this instance has applied (its own, and others' through the refresh). */
    private final AtomicLong applied = new AtomicLong(Long.MAX_VALUE);
    private final Set<Long> own = ConcurrentHashMap.newKeySet();

    HealthRebaselines(Pool pool, FeatureHealthMonitor monitor, Clock clock, io.vertx.core.Vertx vertx,
            FeaturesConfig config) {
        this.pool = pool;
        this.monitor = monitor;
        this.clock = clock;
        this.vertx = vertx;
        this.refresh = config.health().rebaselineRefresh();
    }

    void start(@Observes StartupEvent start) {
        // History before this instance started is already in its (fresh) windows' past: apply only what comes next.
        applied.set(pool.query("SELECT coalesce(max(id), 0) AS id FROM health_rebaseline").execute()
                .map(rows -> rows.iterator().next().getLong("id")).await().atMost(java.time.Duration.ofSeconds(30)));
        vertx.setPeriodic(refresh.toMillis(), id -> follow().subscribe().with(ok -> {
        }, failure -> LOG.warnf("re-baseline refresh failed: %s", failure.toString())));
    }

    /**
     * Audits and applies a re-baseline of one feature (null: every feature) for a segment ({@link Segment#ALL}: the
     * whole population).
     */
    public Uni<Rebaseline> rebaseline(String feature, Segment segment, String actor, String reason) {
        List<String> scope = feature == null ? monitor.engine().featureNames()
                : monitor.engine().featureNames().contains(feature) ? List.of(feature) : List.of();
        List<String> cleared = new ArrayList<>();
        for (String f : scope) {
            for (SegmentHealth h : monitor.health(f, segment.all() ? null : segment)) {
                h.alarms().forEach(m -> cleared.add(f + " " + h.segment() + " " + m));
            }
        }
        return pool.preparedQuery("INSERT INTO health_rebaseline (actor, reason, feature, segment, features_reset, "
                + "alarms_cleared) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *")
                .execute(Tuple.tuple().addString(actor).addString(reason).addString(feature)
                        .addString(segment.toString()).addValue(new JsonArray(scope)).addValue(new JsonArray(cleared)))
                .map(rows -> toRecord(rows.iterator().next()))
                .invoke(r -> {
                    own.add(r.id());
                    monitor.rebaseline(feature, segment, "by " + actor + ": " + reason, clock.instant());
                });
    }

    /** The audit trail, oldest first. */
    public Uni<List<Rebaseline>> list() {
        return pool.query("SELECT * FROM health_rebaseline ORDER BY id").execute().map(rows -> {
            List<Rebaseline> out = new ArrayList<>();
            rows.forEach(r -> out.add(toRecord(r)));
            return out;
        });
    }

    /** Applies re-baselines made through other instances since the last look. */
    Uni<Void> follow() {
        long after = applied.get();
        return pool.preparedQuery("SELECT * FROM health_rebaseline WHERE id > $1 ORDER BY id").execute(Tuple.of(after))
                .invoke(rows -> rows.forEach(row -> {
                    Rebaseline r = toRecord(row);
                    if (!own.remove(r.id())) {
                        Segment s = Segment.parse(r.segment());
                        monitor.rebaseline(r.feature(), s == null ? Segment.ALL : s,
                                "by " + r.actor() + " through another instance: " + r.reason(), clock.instant());
                    }
                    applied.accumulateAndGet(r.id(), Math::max);
                }))
                .replaceWithVoid();
    }

    private static Rebaseline toRecord(Row r) {
        return new Rebaseline(r.getLong("id"), r.getOffsetDateTime("at"), r.getString("actor"), r.getString("reason"),
                r.getString("feature"), r.getString("segment"), strings(r.getJsonArray("features_reset")),
                strings(r.getJsonArray("alarms_cleared")));
    }

    private static List<String> strings(io.vertx.core.json.JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }
}
