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

/**
 * The model registry (PostgreSQL table model_version) and the line-up in force. Readers take one volatile read per
 * call; a change commits in the database, then replaces the whole line-up, so calls in flight finish on the models
 * they started with and no call is dropped. Parsing happens on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class ModelRegistry {

    public enum Role {
        REGISTERED, CHAMPION, CHALLENGER, SHADOW, RETIRED
    }

    public record ModelRecord(String version, String source, String status, double challengerShare, int trees,
            int features, OffsetDateTime createdAt, String createdBy, Map<String, Object> card) {
    }

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String COLUMNS = "version, source, status, challenger_share, created_at, created_by, card, model";

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ModelRegistry.class);

    private final io.vertx.core.Vertx vertx;
    private final AtomicReference<ModelLineup> lineup;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, ScoringModel> loaded = new ConcurrentHashMap<>();
    private final Pool pool;
    private final Path dir;
    private final ScoringConfig.Models config;

    ModelRegistry(ScoringConfig config, Pool pool, io.vertx.core.Vertx vertx) {
        this.pool = pool;
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
        pool.preparedQuery("INSERT INTO model_version (version, source, model, card, status, created_by) "
                + "SELECT $1, $2, $3, $4, 'CHAMPION', 'scoring-service' "
                + "WHERE NOT EXISTS (SELECT 1 FROM model_version WHERE status = 'CHAMPION') "
                + "ON CONFLICT (version) DO NOTHING")
                .execute(Tuple.of(config.defaultVersion(), config.defaultModel(), Buffer.buffer(bytes), card))
                .flatMap(x -> reload())
                .await().atMost(Duration.ofSeconds(60));
        // Other instances change the registry too: pick their changes up without a restart.
        vertx.setPeriodic(config.refresh().toMillis(), id -> reload(changes.get()).subscribe().with(ok -> {
        }, failure -> LOG.warnf("model registry refresh failed: %s", failure.toString())));
    }

    public ModelLineup current() {
        return lineup.get();
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
        Path file = dir.resolve(path).normalize();
        if (!file.startsWith(dir)) {
            throw new ModelRegistrationException("path", "path: must stay inside the model directory", false);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelRegistrationException("path", "path: no model file '" + path + "' in the model directory",
                    false);
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
        return register(version, "upload", bytes, null, actor);
    }

    private Uni<ModelRecord> register(String version, String source, byte[] bytes, JsonObject card, String actor) {
        return Uni.createFrom().item(() -> parse(version, bytes, "model"))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(model -> pool.preparedQuery("INSERT INTO model_version (version, source, model, card, status, "
                        + "created_by) VALUES ($1, $2, $3, $4, 'REGISTERED', $5) ON CONFLICT (version) DO NOTHING")
                        .execute(Tuple.of(version, source, Buffer.buffer(bytes), card, actor))
                        .map(rows -> {
                            if (rows.rowCount() == 0) {
                                throw new ModelRegistrationException("version",
                                        "version: model version '" + version + "' already exists", true);
                            }
                            loaded.put(version, model);
                            return version;
                        }))
                .flatMap(v -> get(v)).map(Optional::orElseThrow);
    }

    /**
     * Gives a registered version a role in live traffic. CHAMPION replaces the champion; CHALLENGER replaces the
     * challenger and sets its share (0..1); SHADOW adds a shadow; RETIRED takes it out (never the champion).
     * Empty when the version is unknown.
     */
    public Uni<Optional<ModelRecord>> activate(String version, Role role, double share) {
        if (role == null || role == Role.REGISTERED) {
            throw new ModelRegistrationException("role", "role: must be CHAMPION, CHALLENGER, SHADOW or RETIRED", false);
        }
        if (role == Role.CHALLENGER && !(share >= 0.0 && share <= 1.0)) {
            throw new ModelRegistrationException("share", "share: a challenger's share must be within 0..1", false);
        }
        return get(version).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<ModelRecord>empty());
            }
            if (role == Role.RETIRED && "CHAMPION".equals(found.get().status())) {
                throw new ModelRegistrationException("role",
                        "role: the champion cannot be retired; make another version champion first", true);
            }
            return pool.withTransaction(tx -> {
                Uni<RowSet<Row>> demote = switch (role) {
                    case CHAMPION -> tx.query("UPDATE model_version SET status = 'RETIRED', challenger_share = 0, "
                            + "updated_at = now() WHERE status = 'CHAMPION'").execute();
                    case CHALLENGER -> tx.query("UPDATE model_version SET status = 'RETIRED', challenger_share = 0, "
                            + "updated_at = now() WHERE status = 'CHALLENGER'").execute();
                    default -> Uni.createFrom().item((RowSet<Row>) null);
                };
                return demote.flatMap(x -> tx.preparedQuery("UPDATE model_version SET status = $2, challenger_share = $3, "
                        + "updated_at = now() WHERE version = $1")
                        .execute(Tuple.of(version, role.name(), role == Role.CHALLENGER ? share : 0.0)));
            }).flatMap(x -> reload()).flatMap(x -> get(version));
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
                        ScoringModel m = buffer == null ? loaded.get(version)
                                : loaded.computeIfAbsent(version, v -> parse(v, buffer.getBytes(), "model"));
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
                    if (champion != null && !(now.champion() == champion && now.challenger() == challenger
                            && now.challengerShare() == share && now.shadows().equals(shadows))) {
                        lineup.set(new ModelLineup(champion, challenger, share, shadows));
                        if (seen < 0) {
                            changes.incrementAndGet();
                        }
                    }
                    return null;
                });
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

    private static JsonObject readCard(Path modelFile) {
        Path card = modelFile.resolveSibling("model-card.json");
        try {
            return Files.isRegularFile(card) ? new JsonObject(Files.readString(card)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private ModelRecord toRecord(Row r) {
        String version = r.getString("version");
        ScoringModel m = loaded.get(version);
        JsonObject card = r.getJsonObject("card");
        return new ModelRecord(version, r.getString("source"), r.getString("status"), r.getDouble("challenger_share"),
                m == null ? -1 : m.ensemble().treeCount(), m == null ? -1 : m.ensemble().featureCount(),
                r.getOffsetDateTime("created_at"), r.getString("created_by"), card == null ? null : card.getMap());
    }
}
