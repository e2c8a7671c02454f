package io.vigil.incident.communication;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads incidents for communications straight from the {@code incident} table the incident core writes: the reactive
 * SQL client, so reads share a transaction with the clock and outbox statements they decide.
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
