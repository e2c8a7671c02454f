package io.vigil.scoring.policy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.scoring.config.ScoringConfig;

/**
 * Threshold policy versions in PostgreSQL and the one in force in memory. Activation commits in the database (with
 * its audit row) and then swaps the in-memory reference, so the next Score call uses it: no restart.
 */
@ApplicationScoped
public class PolicyService {

    /** Version name of the built-in policy that applies before any activation. */
    public static final String BUILT_IN = "built-in";
    private static final TypeReference<List<CohortRule>> RULES = new TypeReference<>() {
    };

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PolicyService.class);

    private final io.vertx.core.Vertx vertx;
    private final java.time.Duration refreshEvery;
    private final Pool pool;
    private final ObjectMapper json;
    private final AtomicReference<ThresholdPolicy> active;
    private final ThresholdPolicy builtIn;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    PolicyService(Pool pool, ObjectMapper json, ScoringConfig config, io.vertx.core.Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
        this.refreshEvery = config.policies().refresh();
        // Stored rules keep the format they were first written in (camelCase keys), so databases written before the
        // REST API went snake_case stay readable; the API renders snake_case through the shared ObjectMapper.
        this.json = json.copy().setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE);
        ScoringConfig.Policies p = config.policies();
        this.builtIn = ThresholdPolicy.of(BUILT_IN, List.of(
                new CohortRule("default", null, null, null, null, null, p.defaultStepUp(), p.defaultReview(),
                        p.defaultDecline(), new Coverage(config.coverage().keyFeatures(), null,
                                config.coverage().maxMissingShare(), config.coverage().decision()))));
        this.active = new AtomicReference<>(builtIn);
    }

    void load(@Observes StartupEvent start) {
        refresh().await().atMost(java.time.Duration.ofSeconds(30));
        // Another instance may activate a policy: pick it up without a restart.
        vertx.setPeriodic(refreshEvery.toMillis(), id -> refresh().subscribe().with(ok -> {
        }, failure -> LOG.warnf("policy refresh failed: %s", failure.toString())));
    }

    /**
     * Re-reads the active policy now (the periodic refresh calls it). The database is the truth: with no ACTIVE row
     * the built-in policy applies again, as before any activation.
     */
    public Uni<Void> refresh() {
        // An activation on this instance while the query runs wins over what the query read before it.
        long seen = changes.get();
        return pool.query("SELECT version, rules FROM threshold_policy WHERE status = 'ACTIVE'").execute()
                .invoke(rows -> {
                    var it = rows.iterator();
                    ThresholdPolicy stored = it.hasNext() ? null : builtIn;
                    if (changes.get() != seen) {
                        return;
                    }
                    if (stored == null) {
                        Row row = it.next();
                        stored = row.getString("version").equals(active.get().version()) ? active.get() : toPolicy(row);
                    }
                    active.set(stored);
                })
                .replaceWithVoid();
    }

    /** The policy in force; one volatile read. */
    public ThresholdPolicy current() {
        return active.get();
    }

    public record PolicyRecord(String version, String status, List<CohortRule> rules, OffsetDateTime createdAt,
            String createdBy, String reason, OffsetDateTime activatedAt) {
    }

    public record AuditEntry(long id, OffsetDateTime at, String actor, String action, String policyVersion,
            String reason, Object diff) {
    }

    /** Stores a new DRAFT version. Fails with {@link PolicyValidationException} or {@link PolicyConflictException}. */
    public Uni<PolicyRecord> create(String version, List<CohortRule> rules, String actor, String reason) {
        ThresholdPolicy policy = ThresholdPolicy.of(version, rules);
        PolicyDiff diff = PolicyDiff.between(null, policy);
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO threshold_policy (version, rules, status, "
                + "created_by, reason) VALUES ($1, $2, 'DRAFT', $3, $4) ON CONFLICT (version) DO NOTHING")
                .execute(Tuple.of(version, new JsonArray(write(policy.rules())), actor, reason))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().failure(new PolicyConflictException(
                                "policy version '" + version + "' already exists"));
                    }
                    return audit(tx, actor, "CREATE", version, reason, diff);
                }))
                .flatMap(ignored -> get(version)).map(Optional::get);
    }

    public Uni<List<PolicyRecord>> list() {
        return pool.query("SELECT * FROM threshold_policy ORDER BY created_at, version").execute()
                .map(rows -> {
                    List<PolicyRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toRecord(r)));
                    return out;
                });
    }

    public Uni<Optional<PolicyRecord>> get(String version) {
        return pool.preparedQuery("SELECT * FROM threshold_policy WHERE version = $1").execute(Tuple.of(version))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(toRecord(it.next())) : Optional.empty();
                });
    }

    /** Makes a stored version the active one; empty when there is no such version. */
    public Uni<Optional<PolicyRecord>> activate(String version, String actor, String reason) {
        return get(version).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<PolicyRecord>empty());
            }
            ThresholdPolicy next = ThresholdPolicy.of(version, found.get().rules());
            ThresholdPolicy previous = active.get();
            PolicyDiff diff = PolicyDiff.between(previous, next);
            return pool.withTransaction(tx -> tx
                    .query("UPDATE threshold_policy SET status = 'RETIRED' WHERE status = 'ACTIVE'").execute()
                    .flatMap(x -> tx.preparedQuery("UPDATE threshold_policy SET status = 'ACTIVE', activated_at = now() "
                            + "WHERE version = $1").execute(Tuple.of(version)))
                    .flatMap(x -> audit(tx, actor, "ACTIVATE", version, reason, diff)))
                    .invoke(() -> {
                        active.set(next);
                        changes.incrementAndGet();
                    })
                    .flatMap(x -> get(version));
        });
    }

    public Uni<List<AuditEntry>> audit() {
        return pool.query("SELECT * FROM policy_audit ORDER BY id").execute().map(rows -> {
            List<AuditEntry> out = new ArrayList<>();
            rows.forEach(r -> out.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("at"), r.getString("actor"),
                    r.getString("action"), r.getString("policy_version"), r.getString("reason"),
                    r.getJsonObject("diff").getMap())));
            return out;
        });
    }

    private Uni<Void> audit(SqlClient tx, String actor, String action, String version, String reason, PolicyDiff diff) {
        return tx.preparedQuery("INSERT INTO policy_audit (actor, action, policy_version, reason, diff) "
                + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(actor, action, version, reason, new JsonObject(write(diff)))).replaceWithVoid();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private List<CohortRule> rules(Object jsonValue) {
        try {
            return json.readValue(String.valueOf(jsonValue), RULES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy rules are not valid JSON", e);
        }
    }

    private ThresholdPolicy toPolicy(Row row) {
        return ThresholdPolicy.of(row.getString("version"), rules(row.getJsonArray("rules").encode()));
    }

    private PolicyRecord toRecord(Row r) {
        return new PolicyRecord(r.getString("version"), r.getString("status"), rules(r.getJsonArray("rules").encode()),
                r.getOffsetDateTime("created_at"), r.getString("created_by"), r.getString("reason"),
                r.getOffsetDateTime("activated_at"));
    }
}
