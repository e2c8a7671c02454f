package io.vigil.guardrail.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vigil.guardrail.monitor.config.MonitorConfig;
import io.vigil.guardrail.monitor.store.MonitorStore;
import io.vigil.guardrail.rollout.outbox.OutboxRelay;

/**
 * Runs the monitors' rounds: every {@code guardrail.monitors.evaluate-every} each instance tries to take the round's
 * lock (one round at a time across replicas), folds what has settled ({@link MonitorRound}), and writes the states,
 * the verdicts (into the rollouts' outbox, which publishes them once) and the alarm record in one transaction. Every
 * instance then refreshes its view of the states from the database for REST and the gauges, so replicas agree.
 */
@ApplicationScoped
public class MonitorEvaluator {

    private static final Logger LOG = Logger.getLogger(MonitorEvaluator.class);

    private final MonitorCatalog catalog;
    private final MonitorRound round;
    private final MonitorStore store;
    private final MonitorConfig config;
    private final OutboxRelay relay;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicReference<Map<String, MonitorStatus>> view = new AtomicReference<>(Map.of());
    private final Map<String, String[]> cohortAndMetric = new HashMap<>();
    private ScheduledExecutorService timer;

    MonitorEvaluator(MonitorCatalog catalog, MonitorRound round, MonitorStore store, MonitorConfig config,
            OutboxRelay relay, Clock clock, MeterRegistry registry) {
        this.catalog = catalog;
        this.round = round;
        this.store = store;
        this.config = config;
        this.relay = relay;
        this.clock = clock;
        this.registry = registry;
        for (MonitorDefinition d : catalog.monitors()) {
            cohortAndMetric.put(d.id(), new String[] {d.cohort().toString(), d.metric().key()});
        }
    }

    void start(@Observes StartupEvent e) {
        for (MonitorDefinition d : catalog.monitors()) {
            Tags tags = Tags.of("monitor", d.id(), "metric", d.metric().key());
            Gauge.builder("vigil_monitor_alarm", view, v -> alarmed(v.get().get(d.id())))
                    .description("1 while the cohort monitor is in alarm").tags(tags).register(registry);
            Gauge.builder("vigil_monitor_log_statistic", view, v -> logStatistic(v.get().get(d.id())))
                    .description("the monitor's detector statistic (natural log); pages at the family threshold")
                    .tags(tags).register(registry);
            Gauge.builder("vigil_monitor_rate", view, v -> rate(d, v.get().get(d.id())))
                    .description("the metric's rate over the last hour folded").tags(tags).register(registry);
            Gauge.builder("vigil_monitor_baseline", view, v -> baseline(d, v.get().get(d.id())))
                    .description("the rate the monitor expects for that hour").tags(tags).register(registry);
        }
        Gauge.builder("vigil_monitor_page_threshold", round.family(), MonitorFamily::logPageThreshold)
                .description("the family's paging threshold (natural log)").register(registry);
        if (!config.enabled()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitor-rounds");
            t.setDaemon(true);
            return t;
        });
        long every = config.evaluateEvery().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The monitors' states as this instance last read them (REST, gauges). */
    public Map<String, MonitorStatus> view() {
        return view.get();
    }

    private void tick() {
        try {
            if (runRound() > 0) {
                relay.kick();
            }
            view.set(Collections.unmodifiableMap(store.states()));
        } catch (Exception ex) {
            // The next tick tries again from the stored state: nothing half written (one transaction).
            LOG.warnf("monitor round failed: %s", ex.toString());
        }
    }

    /** One round, if this instance gets the lock: returns the verdicts written. */
    public int runRound() throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                if (!store.tryLockRound(c)) {
                    c.rollback();
                    return 0;
                }
                int written = round(c);
                c.commit();
                return written;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            }
        }
    }

    private int round(Connection c) throws SQLException {
        Map<Integer, Instant> watermarks = store.watermarks(c);
        if (watermarks.isEmpty()) {
            return 0;
        }
        Map<MonitorMetric, Long> settled = settledThrough(watermarks);
        Map<String, MonitorStatus> stored = store.states(c);
        long fromMinute = 0;
        if (stored.keySet().containsAll(cohortAndMetric.keySet())) {
            fromMinute = stored.values().stream().mapToLong(MonitorStatus::evaluatedThroughMinute).min()
                    .orElse(0) - 60;
        }
        Map<String, NavigableMap<Long, long[]>> minutes = store.minuteCounts(c, fromMinute);
        Set<Long> hours = neededHours(stored, minutes, settled);
        Map<String, Map<Long, long[]>> history = store.hourCounts(c, hours);
        MonitorRound.Result result = round.evaluate(stored,
                id -> minutes.getOrDefault(id, MonitorRound.noCounts()),
                (id, hour) -> history.getOrDefault(id, Map.of()).get(hour), settled);
        Instant now = clock.instant();
        store.save(c, cohortAndMetric, result.changed(), result.verdicts(), now);
        Instant newest = Collections.max(watermarks.values());
        store.prune(c, newest.minus(config.minuteRetention()), newest.minus(config.history()));
        for (var v : result.verdicts()) {
            LOG.infof("monitor %s: %s", v.getMonitorId(), v.getReason());
        }
        return result.verdicts().size();
    }

    /**
     * Per metric, the last minute every live partition has counted past with the metric's settle: partitions more
     * than max-partition-lag behind the newest are not waited for (a silent partition must not stop the monitors).
     */
    Map<MonitorMetric, Long> settledThrough(Map<Integer, Instant> watermarks) {
        Instant newest = Collections.max(watermarks.values());
        Instant slowestLive = watermarks.values().stream()
                .filter(w -> !w.isBefore(newest.minus(config.maxPartitionLag()))).min(Instant::compareTo)
                .orElse(newest);
        Map<MonitorMetric, Long> out = new EnumMap<>(MonitorMetric.class);
        for (MonitorMetric m : MonitorMetric.values()) {
            Instant cut = slowestLive.minus(m == MonitorMetric.CONVERSION ? config.outcomeSettle() : config.settle());
            out.put(m, Math.floorDiv(cut.toEpochMilli(), 60_000L) - 1);
        }
        return out;
    }

    /** The hours whose history the minutes to fold need: each one's seasonal weeks and trailing window. */
    private Set<Long> neededHours(Map<String, MonitorStatus> stored, Map<String, NavigableMap<Long, long[]>> minutes,
            Map<MonitorMetric, Long> settled) {
        Set<Long> judged = new HashSet<>();
        for (MonitorDefinition d : catalog.monitors()) {
            MonitorStatus s = stored.get(d.id());
            NavigableMap<Long, long[]> m = minutes.get(d.id());
            long from = s != null ? s.evaluatedThroughMinute() + 1 : m == null || m.isEmpty() ? Long.MAX_VALUE
                    : m.firstKey();
            long through = settled.get(d.metric());
            for (long h = Math.floorDiv(from, 60); from <= through && h <= Math.floorDiv(through, 60); h++) {
                judged.add(h);
            }
        }
        Set<Long> out = new HashSet<>();
        for (long h : judged) {
            for (int w = 1; w <= config.seasonalWeeks(); w++) {
                out.add(h - 168L * w);
            }
            for (long t = h - 2 - config.trailingHours() + 1; t <= h - 2; t++) {
                out.add(t);
            }
        }
        return out;
    }

    private static double alarmed(MonitorStatus s) {
        return s != null && s.state() == MonitorState.ALARM ? 1 : 0;
    }

    private static double logStatistic(MonitorStatus s) {
        return s == null ? Double.NaN : s.logStatistic();
    }

    private static double rate(MonitorDefinition d, MonitorStatus s) {
        return s == null ? Double.NaN : d.metric().reportedRate(s.hourBadRate());
    }

    private static double baseline(MonitorDefinition d, MonitorStatus s) {
        return s == null || !s.baseline().known() ? Double.NaN : d.metric().reportedRate(s.baseline().estimate());
    }

    public List<MonitorDefinition> monitors() {
        return catalog.monitors();
    }
}
