package io.vigil.incident.communication;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.IncidentState;

/**
 * Reads incidents for communications from the {@code incident} table the incident core writes. {@link #load} and
 * {@link #loadActive} go through the Hibernate Reactive session (read-only), so they read in the transaction of the
 * clock and outbox writes they decide (read-only: the incident core owns these rows); the others use the reactive SQL client for the status page and drafts.
 */
@ApplicationScoped
public class IncidentReader {

    private static final String COLUMNS = """
            id, title, state, severity, opened_at, last_event_at, components, excess_harmed_low, excess_harmed_high,
            money_at_stake, checkout_share, resolved_at, closed_at
            """;

    private final Pool pool;

    IncidentReader(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<IncidentFacts>> find(UUID id) {
        return find(pool, id);
    }

    public Uni<Optional<IncidentFacts>> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM incident WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.<IncidentFacts>empty() : Optional.of(facts(rows.iterator().next())));
    }

    /** The incident, read in the caller's Hibernate Reactive session (never written back from here). */
    public Uni<Optional<IncidentFacts>> load(UUID id) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from Incident where id = :id", Incident.class)
                .setParameter("id", id).setReadOnly(true).getResultList())
                .map(found -> found.stream().findFirst().map(IncidentReader::facts));
    }

    /** Incidents not yet resolved or closed, oldest first, read in the caller's Hibernate Reactive session. */
    public Uni<List<IncidentFacts>> loadActive() {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "from Incident where state not in (:ended) order by openedAt, id", Incident.class)
                .setParameter("ended", List.of(IncidentState.RESOLVED, IncidentState.CLOSED)).setReadOnly(true)
                .getResultList())
                .map(list -> list.stream().map(IncidentReader::facts).toList());
    }

    static IncidentFacts facts(Incident i) {
        return new IncidentFacts(i.id, i.title, i.state.name(), i.severity.name(), i.openedAt, i.lastEventAt,
                List.copyOf(i.components), i.excessHarmedLow, i.excessHarmedHigh, i.moneyAtStake, i.checkoutShare,
                i.resolvedAt, i.closedAt);
    }

    /** Incidents not yet resolved or closed. */
    public Uni<List<IncidentFacts>> active(SqlClient client) {
        return client.query("SELECT " + COLUMNS + " FROM incident WHERE state NOT IN ('RESOLVED', 'CLOSED')"
                + " ORDER BY opened_at").execute().map(IncidentReader::all);
    }

    /** Incidents resolved or closed since {@code since}, newest first. */
    public Uni<List<IncidentFacts>> resolvedSince(Instant since, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM incident WHERE state IN ('RESOLVED', 'CLOSED')"
                + " AND coalesce(resolved_at, closed_at, last_event_at) >= $1"
                + " ORDER BY coalesce(resolved_at, closed_at, last_event_at) DESC LIMIT $2")
                .execute(Tuple.of(since.atOffset(java.time.ZoneOffset.UTC), limit)).map(IncidentReader::all);
    }

    /** Mitigation actions recorded for the incident, oldest first: "actions taken" in drafts. */
    public Uni<List<String>> actions(UUID id) {
        return pool.preparedQuery("SELECT description, status FROM mitigation_action WHERE incident_id = $1"
                + " ORDER BY created_at").execute(Tuple.of(id)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(r.getString("description") + " (" + r.getString("status").toLowerCase() + ")");
                    }
                    return out;
                });
    }

    private static List<IncidentFacts> all(Iterable<Row> rows) {
        List<IncidentFacts> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(facts(r));
        }
        return out;
    }

    static IncidentFacts facts(Row r) {
        String components = r.getString("components");
        return new IncidentFacts(r.getUUID("id"), r.getString("title"), r.getString("state"), r.getString("severity"),
                instant(r, "opened_at"), instant(r, "last_event_at"),
                components == null || components.isBlank() ? List.of()
                        : Arrays.stream(components.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                r.getDouble("excess_harmed_low"), r.getDouble("excess_harmed_high"), r.getDouble("money_at_stake"),
                r.getDouble("checkout_share"), instant(r, "resolved_at"), instant(r, "closed_at"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
