package io.vigil.incident.status;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.incident.communication.CommunicationClock;
import io.vigil.incident.communication.IncidentFacts;
import io.vigil.incident.communication.IncidentReader;

/**
 * The components' shown states. Measured: the worst status the active incidents that name a component give it
 * (severity, itself computed from measured impact). Shown: the measured state once it has held long enough
 * ({@link FlapSuppressor}), kept in {@code status_component} so every replica serves the same page; a refresh locks
 * the rows, so replicas take turns.
 */
@ApplicationScoped
public class StatusBoard {

    private static final Logger LOG = Logger.getLogger(StatusBoard.class);

    private final Pool pool;
    private final IncidentReader incidents;
    private final StatusConfig config;
    private final CommunicationClock clock;
    private final FlapSuppressor suppressor;

    StatusBoard(Pool pool, IncidentReader incidents, StatusConfig config, CommunicationClock clock) {
        this.pool = pool;
        this.incidents = incidents;
        this.config = config;
        this.clock = clock;
        this.suppressor = new FlapSuppressor(config.holdBeforeWorse(), config.holdBeforeBetter());
    }

    @Scheduled(every = "${vigil.status.tick-every:30s}", identity = "status-page-refresh",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refresh().onFailure().invoke(e -> LOG.warnf("status refresh failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Measures every component at the clock's now and moves its shown state where the hold time allows. */
    public Uni<List<ComponentView>> refresh() {
        Instant now = clock.now();
        return pool.withTransaction(tx -> incidents.active(tx).chain(active -> {
            Map<String, ComponentStatus> measured = measure(active);
            List<String> catalogue = Components.catalogue(config.paymentRegions(),
                    active.stream().flatMap(i -> i.components().stream()).toList());
            return shown(tx, true).chain(previous -> Multi.createFrom().iterable(catalogue)
                    .onItem().transformToUniAndConcatenate(c -> {
                        ShownStatus before = previous.get(c);
                        ShownStatus after = suppressor.observe(before,
                                measured.getOrDefault(c, ComponentStatus.OPERATIONAL), now);
                        return (after.equals(before) ? Uni.createFrom().voidItem() : save(tx, c, after))
                                .replaceWith(ComponentView.of(c, after));
                    }).collect().asList());
        }));
    }

    /** What the page shows now; a component never refreshed shows its measured state. */
    public Uni<List<ComponentView>> current(List<IncidentFacts> active) {
        Instant now = clock.now();
        Map<String, ComponentStatus> measured = measure(active);
        List<String> catalogue = Components.catalogue(config.paymentRegions(),
                active.stream().flatMap(i -> i.components().stream()).toList());
        return shown(pool, false).map(shown -> {
            List<ComponentView> out = new ArrayList<>();
            for (String c : catalogue) {
                ShownStatus s = shown.get(c);
                out.add(ComponentView.of(c, s != null ? s
                        : ShownStatus.initially(measured.getOrDefault(c, ComponentStatus.OPERATIONAL), now)));
            }
            return out;
        });
    }

    static Map<String, ComponentStatus> measure(List<IncidentFacts> active) {
        Map<String, ComponentStatus> out = new HashMap<>();
        for (IncidentFacts incident : active) {
            ComponentStatus s = ComponentStatus.forSeverity(incident.severity());
            for (String c : incident.components()) {
                out.merge(c, s, (a, b) -> a.worseThan(b) ? a : b);
            }
        }
        return out;
    }

    private Uni<Map<String, ShownStatus>> shown(SqlClient client, boolean lock) {
        return client.query("SELECT component, shown_status, shown_since, candidate_status, candidate_since"
                + " FROM status_component" + (lock ? " FOR UPDATE" : "")).execute().map(rows -> {
                    Map<String, ShownStatus> out = new HashMap<>();
                    for (Row r : rows) {
                        String candidate = r.getString("candidate_status");
                        OffsetDateTime since = r.getOffsetDateTime("candidate_since");
                        out.put(r.getString("component"), new ShownStatus(
                                ComponentStatus.valueOf(r.getString("shown_status")),
                                r.getOffsetDateTime("shown_since").toInstant(),
                                candidate == null ? null : ComponentStatus.valueOf(candidate),
                                since == null ? null : since.toInstant()));
                    }
                    return out;
                });
    }

    private Uni<Void> save(SqlClient tx, String component, ShownStatus s) {
        return tx.preparedQuery("""
                INSERT INTO status_component (component, shown_status, shown_since, candidate_status, candidate_since)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (component) DO UPDATE SET shown_status = EXCLUDED.shown_status,
                    shown_since = EXCLUDED.shown_since, candidate_status = EXCLUDED.candidate_status,
                    candidate_since = EXCLUDED.candidate_since
                """).execute(Tuple.tuple().addValue(component).addValue(s.shown().name())
                .addValue(s.shownSince().atOffset(ZoneOffset.UTC))
                .addValue(s.candidate() == null ? null : s.candidate().name())
                .addValue(s.candidateSince() == null ? null : s.candidateSince().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The worst shown state: the page's overall status. */
    public static ComponentStatus overall(List<ComponentView> components) {
        ComponentStatus worst = ComponentStatus.OPERATIONAL;
        for (ComponentView c : components) {
            ComponentStatus s = ComponentStatus.valueOf(c.status());
            worst = s.worseThan(worst) ? s : worst;
        }
        return worst;
    }

}
