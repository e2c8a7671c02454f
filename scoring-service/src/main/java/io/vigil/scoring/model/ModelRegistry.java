package io.vigil.scoring.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.model.ModelLoadException;
import io.vigil.riskmodel.model.TreeEnsemble;
import io.vigil.riskmodel.model.XGBoostJsonLoader;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.metrics.ScoringMetrics;

/**
 * The model registry (PostgreSQL table model_version) and the line-up in force. Readers take one volatile read per
 * call; a change commits in the database, then replaces the whole line-up, so calls in flight finish on the models
 * they started with and no call is dropped. Parsing happens on a worker thread, never on the event loop. Only the
 * line-up's models are held in memory; registering parses a model to check it and records its size, then drops it.
 */
@ApplicationScoped
public class ModelRegistry {

    public enum Role {
        REGISTERED, CHAMPION, CHALLENGER, SHADOW, RETIRED
    }

    public record ModelRecord(String version, String source, String status, double challengerShare, int trees,
            int features, long estimatedBytes, OffsetDateTime createdAt, String createdBy, Map<String, Object> card) {
    }

    /** One line-up change as audited: who, why, and the line-up before and after. */
    public record AuditEntry(long id, OffsetDateTime at, String actor, String action, String modelVersion, String role,
            double share, String reason, Map<String, Object> before, Map<String, Object> after) {
    }

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String COLUMNS = "version, source, status, challenger_share, created_at, created_by, card, "
            + "trees, features, estimated_bytes";

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ModelRegistry.class);

    private final io.vertx.core.Vertx vertx;
    private final AtomicReference<ModelLineup> lineup;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, ScoringModel> loaded = new ConcurrentHashMap<>();
    private final Pool pool;
    private final Path dir;
    private final ScoringConfig.Models config;
    private final ScoringMetrics metrics;

    ModelRegistry(ScoringConfig config, Pool pool, io.vertx.core.Vertx vertx, ScoringMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config.models();
        this.dir = Path.of(config.models().dir()).toAbsolutePath().normalize();
        Path file = dir.resolve(config.models().defaultModel());
        ScoringModel fallbackChampion = new ScoringModel(config.models().defaultVersion(),
                new XGBoostJsonLoader().load(file));
        loaded.put(fallbackChampion.version(), fallbackChampion);
        this.lineup = new AtomicReference<>(ModelLineup.championOnly(fallbackChampion));
    }

    /** Registers the default model as champion on first start, then loads the line-up the registry records. */
    void start(@Observes StartupEvent start) throws IOException {
        Path file = dir.resolve(config.defaultModel());
        byte[] bytes = Files.readAllBytes(file);
        JsonObject card = readCard(file);
        ScoringModel initial = loaded.get(config.defaultVersion());
        pool.preparedQuery("INSERT INTO model_version (version, source, model, card, status, created_by, trees, "
                + "features, estimated_bytes) "
                + "SELECT $1, $2, $3, $4, 'CHAMPION', 'scoring-service', $5, $6, $7 "
                + "WHERE NOT EXISTS (SELECT 1 FROM model_version WHERE status = 'CHAMPION') "
                + "ON CONFLICT (version) DO NOTHING")
                .execute(Tuple.from(new Object[] {config.defaultVersion(), config.defaultModel(), Buffer.buffer(bytes),
                        card, initial.ensemble().treeCount(), initial.ensemble().featureCount(),
                        initial.estimatedBytes()}))
                .flatMap(x -> reload())
                .await().atMost(Duration.ofSeconds(60));
        // Other instances change the registry too: pick their changes up without a restart.
        vertx.setPeriodic(config.refresh().toMillis(), id -> reload(changes.get()).subscribe().with(ok -> {
        }, failure -> LOG.warnf("model registry refresh failed: %s", failure.toString())));
    }

    public ModelLineup current() {
        return lineup.get();
    }

    /** Versions whose parsed model is held in memory: the line-up's, nothing else. */
    public java.util.Set<String> loadedVersions() {
        return java.util.Set.copyOf(loaded.keySet());
    }

    /** Directory model files are registered from. */
    public Path dir() {
        return dir;
    }

    /** Registers a model file found under the model directory. */
    public Uni<ModelRecord> registerPath(String version, String path, String actor) {
        checkVersion(version);
        if (path == null || path.isBlank()) {
            throw new ModelRegistrationException("path", "path: a model file under the model directory is required",
                    false);
        }
        Path file;
        try {
            file = dir.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            // A NUL byte and friends: java.nio refuses them; say so instead of a 500.
            throw new ModelRegistrationException("path", "path: not a valid file path", false);
        }
        if (!file.startsWith(dir)) {
            throw new ModelRegistrationException("path", "path: must stay inside the model directory", false);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelRegistrationException("path", "path: no model file '" + path + "' in the model directory",
                    false);
        }
        try {
            if (Files.size(file) > config.maxUploadBytes()) {
                throw new ModelTooLargeException("path", Files.size(file), config.maxUploadBytes());
            }
        } catch (IOException e) {
            throw new ModelRegistrationException("path", "path: cannot read '" + path + "'", false);
        }
        return Uni.createFrom().item(() -> {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ModelRegistrationException("path", "path: cannot read '" + path + "': " + e.getMessage(), false);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(bytes -> register(version, path, bytes, readCard(file), actor));
    }

    /** Registers uploaded model bytes (XGBoost JSON). */
    public Uni<ModelRecord> registerBytes(String version, byte[] bytes, String actor) {
        checkVersion(version);
        if (bytes.length > config.maxUploadBytes()) {
            throw new ModelTooLargeException("body", bytes.length, config.maxUploadBytes());
        }
        return register(version, "upload", bytes, null, actor);
    }

    private Uni<ModelRecord> register(String version, String source, byte[] bytes, JsonObject card, String actor) {
        return Uni.createFrom().item(() -> parse(version, bytes, "model"))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // Parsed to validate it and to know what it would cost; loaded again only when it joins the line-up.
                .flatMap(model -> pool.preparedQuery("INSERT INTO model_version (version, source, model, card, status, "
                        + "created_by, trees, features, estimated_bytes) "
                        + "VALUES ($1, $2, $3, $4, 'REGISTERED', $5, $6, $7, $8) ON CONFLICT (version) DO NOTHING")
                        .execute(Tuple.from(new Object[] {version, source, Buffer.buffer(bytes), card, actor,
                                model.ensemble().treeCount(), model.ensemble().featureCount(), model.estimatedBytes()}))
                        .map(rows -> {
                            if (rows.rowCount() == 0) {
                                throw new ModelRegistrationException("version",
                                        "version: model version '" + version + "' already exists", true);
                            }
                            return version;
                        }))
                .flatMap(v -> get(v)).map(Optional::orElseThrow);
    }

    /**
     * Gives a registered version a role in live traffic. CHAMPION replaces the champion; CHALLENGER replaces the
     * challenger and sets its share (0..1); SHADOW adds a shadow; RETIRED takes it out. The change is checked against
     * the line-up's invariants ({@link LineupPlan}: never without a champion, bounded shadows and memory) on the
     * registry's current state, applied and audited in one transaction that holds the registry's lock (so two
     * instances' activations cannot interleave), and reaches every other instance within the refresh interval.
     * Empty when the version is unknown.
     */
    public Uni<Optional<ModelRecord>> activate(String version, Role role, double share, String actor, String reason) {
        if (role == null || role == Role.REGISTERED) {
            throw new ModelRegistrationException("role", "role: must be CHAMPION, CHALLENGER, SHADOW or RETIRED", false);
        }
        if (role == Role.CHALLENGER && !(share >= 0.0 && share <= 1.0)) {
            throw new ModelRegistrationException("share", "share: a challenger's share must be within 0..1", false);
        }
        LineupPlan.Limits limits = new LineupPlan.Limits(config.maxShadows(), config.maxLoadedBytes());
        return pool.withTransaction(tx -> tx.query("LOCK TABLE model_version IN SHARE ROW EXCLUSIVE MODE").execute()
                .flatMap(x -> tx.preparedQuery("SELECT version, status, challenger_share, estimated_bytes "
                        + "FROM model_version WHERE status IN ('CHAMPION', 'CHALLENGER', 'SHADOW') OR version = $1 "
                        + "ORDER BY created_at, version").execute(Tuple.of(version)))
                .flatMap(rows -> {
                    String champion = null;
                    String challenger = null;
                    double currentShare = 0.0;
                    List<String> shadows = new ArrayList<>();
                    Map<String, Long> bytes = new java.util.HashMap<>();
                    boolean found = false;
                    for (Row r : rows) {
                        String v = r.getString("version");
                        found |= v.equals(version);
                        Long estimate = r.getLong("estimated_bytes");
                        bytes.put(v, estimate != null ? estimate
                                : loaded.containsKey(v) ? loaded.get(v).estimatedBytes() : 0L);
                        switch (r.getString("status")) {
                            case "CHAMPION" -> champion = v;
                            case "CHALLENGER" -> {
                                challenger = v;
                                currentShare = r.getDouble("challenger_share");
                            }
                            case "SHADOW" -> shadows.add(v);
                            default -> {
                                // the version being activated, not live yet
                            }
                        }
                    }
                    if (!found) {
                        return Uni.createFrom().item(false);
                    }
                    LineupPlan before = new LineupPlan(champion, challenger, currentShare, shadows);
                    LineupPlan after = before.activate(version, role, share, limits, bytes);
                    Map<String, Role> changes = after.changesFrom(before);
                    if (role == Role.RETIRED) {
                        changes.put(version, Role.RETIRED);
                    }
                    List<Tuple> updates = new ArrayList<>();
                    changes.forEach((v, newRole) -> updates.add(Tuple.of(v, newRole.name(),
                            newRole == Role.CHALLENGER ? after.challengerShare() : 0.0)));
                    Uni<?> apply = updates.isEmpty() ? Uni.createFrom().voidItem()
                            : tx.preparedQuery("UPDATE model_version SET status = $2, challenger_share = $3, "
                                    + "updated_at = now() WHERE version = $1").executeBatch(updates);
                    return apply.flatMap(y -> tx.preparedQuery("INSERT INTO model_audit (actor, action, model_version, "
                            + "role, share, reason, before, after) VALUES ($1, 'ACTIVATE', $2, $3, $4, $5, $6, $7)")
                            .execute(Tuple.from(new Object[] {actor, version, role.name(),
                                    role == Role.CHALLENGER ? share : 0.0, reason, json(before), json(after)})))
                            .replaceWith(true);
                }))
                .flatMap(applied -> applied ? reload().flatMap(x -> get(version))
                        : Uni.createFrom().item(Optional.<ModelRecord>empty()));
    }

    private static JsonObject json(LineupPlan plan) {
        JsonObject o = new JsonObject().put("champion", plan.champion());
        o.put("challenger", plan.challenger()).put("challengerShare", plan.challengerShare());
        return o.put("shadows", new io.vertx.core.json.JsonArray(plan.shadows()));
    }

    /** Every line-up change, oldest first. */
    public Uni<List<AuditEntry>> audit() {
        return pool.query("SELECT * FROM model_audit ORDER BY id").execute().map(rows -> {
            List<AuditEntry> out = new ArrayList<>();
            rows.forEach(r -> out.add(new AuditEntry(r.getLong("id"), r.getOffsetDateTime("at"), r.getString("actor"),
                    r.getString("action"), r.getString("model_version"), r.getString("role"), r.getDouble("share"),
                    r.getString("reason"), r.getJsonObject("before").getMap(), r.getJsonObject("after").getMap())));
            return out;
        });
    }

    public Uni<List<ModelRecord>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM model_version ORDER BY created_at, version").execute()
                .map(rows -> {
                    List<ModelRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(toRecord(r)));
                    return out;
                });
    }

    public Uni<Optional<ModelRecord>> get(String version) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM model_version WHERE version = $1")
                .execute(Tuple.of(version))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(toRecord(it.next())) : Optional.empty();
                });
    }

    /** Rebuilds the line-up from the registry and swaps it in (one atomic reference). */
    private Uni<Void> reload() {
        return reload(-1L);
    }

    /**
     * Re-reads the line-up now (the periodic refresh does the same): for tests that change the registry behind the
     * service's back, as another instance would.
     */
    public Uni<Void> refresh() {
        return reload(changes.get());
    }

    /** @param seen for a periodic refresh: the change count before it; a local change since then wins. */
    private Uni<Void> reload(long seen) {
        // Bytes only for versions this instance has not parsed yet: the refresh runs every few seconds.
        String[] known = loaded.keySet().toArray(String[]::new);
        return pool.preparedQuery("SELECT version, status, challenger_share, "
                + "CASE WHEN version = ANY($1) THEN NULL ELSE model END AS model FROM model_version "
                + "WHERE status IN ('CHAMPION', 'CHALLENGER', 'SHADOW') ORDER BY created_at, version")
                .execute(Tuple.of(known))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(rows -> {
                    ScoringModel champion = null;
                    ScoringModel challenger = null;
                    double share = 0.0;
                    List<ScoringModel> shadows = new ArrayList<>();
                    for (Row r : rows) {
                        String version = r.getString("version");
                        var buffer = r.getBuffer("model");
                        ScoringModel m = buffer == null ? loaded.get(version) : loadStored(version, buffer.getBytes());
                        if (m == null) {
                            continue;
                        }
                        switch (r.getString("status")) {
                            case "CHAMPION" -> champion = m;
                            case "CHALLENGER" -> {
                                challenger = m;
                                share = r.getDouble("challenger_share");
                            }
                            default -> shadows.add(m);
                        }
                    }
                    ModelLineup now = lineup.get();
                    if (seen >= 0 && changes.get() != seen) {
                        return null;
                    }
                    if (champion == null) {
                        // The registry's invariant (LineupPlan) makes this a database edited by hand; keep serving.
                        LOG.errorf("the model registry has no usable champion; still serving %s",
                                now.champion().version());
                        return null;
                    }
                    if (!(now.champion() == champion && now.challenger() == challenger
                            && now.challengerShare() == share && now.shadows().equals(shadows))) {
                        lineup.set(new ModelLineup(champion, challenger, share, shadows));
                        if (seen < 0) {
                            changes.incrementAndGet();
                        }
                    }
                    // Only the line-up stays in memory: what the registry retired is no longer served or held.
                    ModelLineup serving = lineup.get();
                    loaded.keySet().removeIf(v -> !serving.holds(v));
                    return null;
                });
    }

    /** A stored version joining the line-up; one that no longer loads is logged and counted, and left out. */
    private ScoringModel loadStored(String version, byte[] bytes) {
        try {
            return loaded.computeIfAbsent(version, v -> parse(v, bytes, "model"));
        } catch (ModelRegistrationException e) {
            metrics.corruptRecord("model");
            LOG.errorf("stored model %s does not load and is left out of the line-up: %s", version, e.getMessage());
            return null;
        }
    }

    private static ScoringModel parse(String version, byte[] bytes, String field) {
        TreeEnsemble ensemble;
        try {
            ensemble = new XGBoostJsonLoader().parse(bytes);
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw new ModelRegistrationException(field, field + ": " + e.getMessage(), false);
        } catch (RuntimeException e) {
            // UnsupportedModelException and friends: the loader names what it refuses.
            throw new ModelRegistrationException(field, field + ": " + e.getMessage(), false);
        }
        for (String name : ensemble.featureNames()) {
            boolean known = false;
            for (PaymentFeature f : PaymentFeature.values()) {
                known |= f.featureName().equals(name);
            }
            if (!known) {
                throw new ModelRegistrationException(field, field + ": feature '" + name
                        + "' is not in feature contract checkout-features/v1, it would always be missing", false);
            }
        }
        return new ScoringModel(version, ensemble);
    }

    private static void checkVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new ModelRegistrationException("version",
                    "version: 1-64 letters, digits, '.', '_' or '-' are required", false);
        }
    }

    /** The model card next to a model file; one that cannot be read is logged and counted, and left out. */
    private JsonObject readCard(Path modelFile) {
        Path card = modelFile.resolveSibling("model-card.json");
        try {
            return Files.isRegularFile(card) ? new JsonObject(Files.readString(card)) : null;
        } catch (IOException | RuntimeException e) {
            metrics.corruptRecord("model_card");
            LOG.warnf("model card %s cannot be read, the model is registered without it: %s", dir.relativize(card),
                    e.toString());
            return null;
        }
    }

    private ModelRecord toRecord(Row r) {
        String version = r.getString("version");
        ScoringModel m = loaded.get(version);
        JsonObject card = r.getJsonObject("card");
        Integer trees = r.getInteger("trees");
        Integer features = r.getInteger("features");
        Long bytes = r.getLong("estimated_bytes");
        return new ModelRecord(version, r.getString("source"), r.getString("status"), r.getDouble("challenger_share"),
                trees != null ? trees : m == null ? -1 : m.ensemble().treeCount(),
                features != null ? features : m == null ? -1 : m.ensemble().featureCount(),
                bytes != null ? bytes : m == null ? -1 : m.estimatedBytes(),
                r.getOffsetDateTime("created_at"), r.getString("created_by"), card == null ? null : card.getMap());
    }
}
