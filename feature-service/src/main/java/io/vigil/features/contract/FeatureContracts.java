package io.vigil.features.contract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.features.config.FeaturesConfig;

/**
 * Every known feature set version: the contract files shipped with the service (and an optional directory), plus the
 * versions registered over REST (kept in table {@code feature_set_version}, reloaded at start).
 */
@ApplicationScoped
public class FeatureContracts {

    private static final Logger LOG = Logger.getLogger(FeatureContracts.class);

    private final Map<String, ConcurrentSkipListMap<Integer, FeatureSet>> sets = new ConcurrentHashMap<>();
    private final FeatureSetParser parser = new FeatureSetParser();
    private final FeaturesConfig config;
    private final Pool pool;

    public FeatureContracts(FeaturesConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
    }

    void load(@Observes StartupEvent startup) throws IOException {
        for (String file : config.contracts().files()) {
            try (InputStream in = FeatureContracts.class.getResourceAsStream("/feature-contracts/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("feature contract " + file + " is not on the classpath");
                }
                put(parser.parse(in));
            }
        }
        if (config.contracts().directory().isPresent()) {
            try (Stream<Path> files = Files.list(Path.of(config.contracts().directory().get()))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    put(parser.parse(f));
                }
            }
        }
        for (Row row : pool.query("SELECT definition FROM feature_set_version ORDER BY name, version").execute()
                .await().indefinitely()) {
            put(parser.parse(row.getString(0)));
        }
        LOG.infof("feature contracts loaded: %s", versions());
    }

    /** Makes a feature set version known (loading; plain tests build a registry this way). */
    public void put(FeatureSet fs) {
        sets.computeIfAbsent(fs.name(), k -> new ConcurrentSkipListMap<>()).put(fs.version(), fs);
    }

    /** Resolves {@code name@version}, or {@code name} alone for its latest version. */
    public Optional<FeatureSet> resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        int at = spec.lastIndexOf('@');
        if (at < 0) {
            return latest(spec);
        }
        int version;
        try {
            version = Integer.parseInt(spec.substring(at + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        var versions = sets.get(spec.substring(0, at));
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    public Optional<FeatureSet> latest(String name) {
        var versions = sets.get(name);
        return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** Set name to its versions, ascending. */
    public Map<String, List<Integer>> versions() {
        Map<String, List<Integer>> out = new TreeMap<>();
        sets.forEach((name, v) -> out.put(name, new ArrayList<>(v.keySet())));
        return out;
    }

    /** What registering {@code text} would do; nothing is stored. */
    public Registration check(FeatureSet fs) {
        Optional<FeatureSet> latest = latest(fs.name());
        if (latest.isPresent() && fs.version() <= latest.get().version()) {
            return new Registration(fs, List.of(), "version " + fs.version() + " is not above the latest registered version "
                    + latest.get().version() + " of " + fs.name());
        }
        List<CompatibilityChecker.Change> changes = latest.map(l -> CompatibilityChecker.compare(l, fs)).orElse(List.of());
        return new Registration(fs, changes, null);
    }

    /**
     * Registers a new version. Callers check it first ({@link #check}); a breaking change is only registered when the
     * operator acknowledged it.
     *
     * @param actor who registers it (the bearer token's subject), kept with the version
     */
    public Uni<FeatureSet> register(FeatureSet fs, String definition, String actor) {
        return pool.preparedQuery("INSERT INTO feature_set_version (name, version, definition, registered_by) "
                + "VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(fs.name(), fs.version(), definition, actor))
                .map(ignored -> {
                    put(fs);
                    return fs;
                });
    }

    public FeatureSet parse(String text) {
        return parser.parse(text);
    }

    /**
     * @param conflict why the version cannot be registered at all (null if it can)
     */
    public record Registration(FeatureSet featureSet, List<CompatibilityChecker.Change> changes, String conflict) {
        public boolean breaking() {
            return CompatibilityChecker.breaking(changes);
        }
    }
}
