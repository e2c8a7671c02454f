package io.vigil.incident.communication;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.incident.delivery.SlackMessage;
import io.vigil.incident.delivery.WebhookOutbox;

/**
 * Posting an update: recorded with the token's subject and the figures it was written against, the audience's clock
 * reset to now + cadence, and the update queued for the audience's webhook subscribers, all in one transaction.
 * External audiences (merchants, the public page) get the text scrubbed by {@link PublicRedactor}.
 */
@ApplicationScoped
public class StakeholderUpdates {

    public static final String WEBHOOK_EVENT = "stakeholder_update";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Pool pool;
    private final IncidentReader incidents;
    private final UpdateClocks clocks;
    private final WebhookOutbox outbox;
    private final ObjectMapper json;

    StakeholderUpdates(Pool pool, IncidentReader incidents, UpdateClocks clocks, WebhookOutbox outbox,
            ObjectMapper json) {
        this.pool = pool;
        this.incidents = incidents;
        this.clocks = clocks;
        this.outbox = outbox;
        this.json = json;
    }

    public record NewUpdate(Audience audience, String kind, String body, String nextDecision, Instant nextDecisionAt) {
    }

    public Uni<StakeholderUpdate> post(UUID incidentId, NewUpdate update, String actor, Instant now) {
        return pool.withTransaction(tx -> incidents.find(tx, incidentId).chain(found -> {
            IncidentFacts incident = found.orElseThrow(
                    () -> CommsProblem.notFound("id", "no incident " + incidentId));
            String body = update.body() != null && !update.body().isBlank() ? update.body()
                    : "No change since the last update.";
            String stored = update.audience().external() ? PublicRedactor.scrub(body) : body;
            Optional<UpdateClockPlanner.PlannedClock> next = clocks.planner().plan(incident, update.audience(), now);
            return wasDue(tx, incidentId, update.audience()).chain(wasDue -> {
                StakeholderUpdate posted = new StakeholderUpdate(UUID.randomUUID(), incidentId,
                        update.audience().key(), update.kind(), stored, update.nextDecision(),
                        update.nextDecisionAt(), wasDue, next.map(UpdateClockPlanner.PlannedClock::dueAt).orElse(null),
                        actor, now);
                return insert(tx, posted, ImpactFigures.of(incident))
                        .chain(() -> next.map(p -> clocks.upsert(tx, incidentId, p, now))
                                .orElseGet(() -> clocks.remove(tx, incidentId, update.audience())))
                        .chain(() -> outbox.toAudience(tx, update.audience().key(), WEBHOOK_EVENT, incidentId,
                                message(incident, posted), now))
                        .replaceWith(posted);
            });
        }));
    }

    private Uni<Instant> wasDue(SqlClient tx, UUID incidentId, Audience audience) {
        return tx.preparedQuery("SELECT due_at FROM stakeholder_update_clock WHERE incident_id = $1 AND audience = $2"
                + " FOR UPDATE").execute(Tuple.of(incidentId, audience.key()))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime("due_at").toInstant());
    }

    private Uni<Void> insert(SqlClient tx, StakeholderUpdate u, ImpactFigures figures) {
        String figuresJson;
        try {
            figuresJson = json.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return tx.preparedQuery("""
                INSERT INTO stakeholder_update (id, incident_id, audience, kind, body, figures_json, next_decision,
                                                next_decision_at, was_due_at, next_due_at, posted_by, posted_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """).execute(Tuple.tuple().addValue(u.id()).addValue(u.incidentId()).addValue(u.audience())
                .addValue(u.kind()).addValue(u.body()).addValue(figuresJson).addValue(u.nextDecision())
                .addValue(utc(u.nextDecisionAt())).addValue(utc(u.wasDueAt())).addValue(utc(u.nextDueAt()))
                .addValue(u.postedBy()).addValue(utc(u.postedAt()))).replaceWithVoid();
    }

    /** The incident's updates, oldest first; {@code audience} null for all. */
    public Uni<List<StakeholderUpdate>> list(UUID incidentId, Audience audience) {
        return pool.preparedQuery("""
                SELECT id, incident_id, audience, kind, body, next_decision, next_decision_at, was_due_at, next_due_at,
                       posted_by, posted_at
                FROM stakeholder_update WHERE incident_id = $1 AND ($2::text IS NULL OR audience = $2)
                ORDER BY posted_at, id
                """).execute(Tuple.of(incidentId, audience == null ? null : audience.key())).map(rows -> {
            List<StakeholderUpdate> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new StakeholderUpdate(r.getUUID("id"), r.getUUID("incident_id"), r.getString("audience"),
                        r.getString("kind"), r.getString("body"), r.getString("next_decision"),
                        instant(r, "next_decision_at"), instant(r, "was_due_at"), instant(r, "next_due_at"),
                        r.getString("posted_by"), instant(r, "posted_at")));
            }
            return out;
        });
    }

    /** The figures the audience's last update was written against, and when it was posted. */
    public record LastUpdate(Instant postedAt, ImpactFigures figures) {
    }

    public Uni<Optional<LastUpdate>> last(UUID incidentId, Audience audience) {
        return pool.preparedQuery("""
                SELECT posted_at, figures_json FROM stakeholder_update WHERE incident_id = $1 AND audience = $2
                ORDER BY posted_at DESC, id DESC LIMIT 1
                """).execute(Tuple.of(incidentId, audience.key())).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            try {
                String f = r.getString("figures_json");
                return Optional.of(new LastUpdate(instant(r, "posted_at"),
                        f == null ? null : json.readValue(f, ImpactFigures.class)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored figures unreadable", e);
            }
        });
    }

    /** The latest next decision point any update named: (decision, when). */
    public Uni<Optional<Map.Entry<String, Instant>>> nextDecision(UUID incidentId) {
        return pool.preparedQuery("""
                SELECT next_decision, next_decision_at FROM stakeholder_update
                WHERE incident_id = $1 AND next_decision IS NOT NULL ORDER BY posted_at DESC LIMIT 1
                """).execute(Tuple.of(incidentId)).map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(Map.entry(rows.iterator().next().getString("next_decision"),
                                Optional.ofNullable(instant(rows.iterator().next(), "next_decision_at"))
                                        .orElse(Instant.EPOCH))));
    }

    private static SlackMessage message(IncidentFacts incident, StakeholderUpdate u) {
        Audience audience = Audience.parse(u.audience()).orElseThrow();
        String next = u.nextDueAt() == null ? "" : "\nNext update by *" + HHMM.format(u.nextDueAt()) + "*.";
        if (audience.external()) {
            PublicIncidentView view = PublicIncidentView.of(incident, List.of());
            return SlackMessage.of(view.headline(), List.of(u.body() + next), Map.of(
                    "event", WEBHOOK_EVENT, "reference", view.reference(), "audience", u.audience(),
                    "kind", u.kind(), "posted_at", u.postedAt().toString()));
        }
        return SlackMessage.of("[" + incident.severity() + "] " + incident.title(),
                List.of((noChangeLabel(u)) + u.body() + next), Map.of(
                        "event", WEBHOOK_EVENT, "incident_id", incident.id().toString(), "audience", u.audience(),
                        "kind", u.kind(), "severity", incident.severity(), "posted_at", u.postedAt().toString()));
    }

    private static String noChangeLabel(StakeholderUpdate u) {
        return StakeholderUpdate.NO_CHANGE.equals(u.kind()) ? "*No change.* " : "";
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
