package io.vigil.incident.communication;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The next-update-due clocks in {@code stakeholder_update_clock}. Every statement is safe to run on several replicas
 * at once: arming is an idempotent upsert that never moves a clock's last update backwards, and the overdue sweep
 * claims each missed due time with one conditional UPDATE, so exactly one replica gets it back.
 */
@ApplicationScoped
public class UpdateClocks {

    private final Pool pool;
    private final IncidentReader incidents;
    private final UpdateClockPlanner planner;

    UpdateClocks(Pool pool, IncidentReader incidents, CommunicationsConfig config) {
        this.pool = pool;
        this.incidents = incidents;
        this.planner = new UpdateClockPlanner(CadencePolicy.fromMinutes(config.cadence()));
    }

    public UpdateClockPlanner planner() {
        return planner;
    }

    /** A missed due time, claimed by this replica. */
    public record Overdue(UUID incidentId, Audience audience, String severity, int cadenceMinutes, Instant dueAt,
            Instant lastUpdateAt) {
    }

    /**
     * Brings every clock in line with the incidents: arms clocks for new incidents and audiences, re-plans after a
     * severity change, removes clocks of resolved incidents and of audiences without a cadence at the severity.
     */
    public Uni<Void> arm(SqlClient tx) {
        Uni<Void> removeEnded = tx.query("""
                DELETE FROM stakeholder_update_clock c USING incident i
                WHERE c.incident_id = i.id AND i.state IN ('RESOLVED', 'CLOSED')
                """).execute().replaceWithVoid();
        return removeEnded.chain(() -> incidents.active(tx)).chain(active -> {
            if (active.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return lastUpdates(tx, active.stream().map(IncidentFacts::id).toArray(UUID[]::new))
                    .chain(last -> Multi.createFrom().iterable(active)
                            .onItem().transformToUniAndConcatenate(incident -> armOne(tx, incident, last))
                            .collect().last().replaceWithVoid());
        });
    }

    private Uni<Void> armOne(SqlClient tx, IncidentFacts incident, Map<String, Instant> last) {
        List<Uni<Void>> steps = new ArrayList<>();
        for (Audience audience : Audience.values()) {
            Instant lastUpdate = last.get(incident.id() + "|" + audience.key());
            Optional<UpdateClockPlanner.PlannedClock> plan = planner.plan(incident, audience, lastUpdate);
            steps.add(plan.map(p -> upsert(tx, incident.id(), p, lastUpdate))
                    .orElseGet(() -> remove(tx, incident.id(), audience)));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> step : steps) {
            chain = chain.chain(() -> step);
        }
        return chain;
    }

    /** Sets the clock to the plan; a clock that already saw a later update is left alone (its writer was newer). */
    Uni<Void> upsert(SqlClient tx, UUID incidentId, UpdateClockPlanner.PlannedClock plan, Instant lastUpdate) {
        return tx.preparedQuery("""
                INSERT INTO stakeholder_update_clock (incident_id, audience, severity, cadence_minutes, due_at,
                                                      last_update_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (incident_id, audience) DO UPDATE
                SET severity = EXCLUDED.severity, cadence_minutes = EXCLUDED.cadence_minutes,
                    due_at = EXCLUDED.due_at, last_update_at = EXCLUDED.last_update_at
                WHERE coalesce(EXCLUDED.last_update_at, '-infinity') >= coalesce(stakeholder_update_clock.last_update_at, '-infinity')
                  AND (stakeholder_update_clock.due_at, stakeholder_update_clock.severity, stakeholder_update_clock.cadence_minutes)
                      IS DISTINCT FROM (EXCLUDED.due_at, EXCLUDED.severity, EXCLUDED.cadence_minutes)
                """).execute(Tuple.tuple().addValue(incidentId).addValue(plan.audience().key())
                .addValue(plan.severity()).addValue((int) plan.cadence().toMinutes()).addValue(utc(plan.dueAt()))
                .addValue(lastUpdate == null ? null : utc(lastUpdate))).replaceWithVoid();
    }

    Uni<Void> remove(SqlClient tx, UUID incidentId, Audience audience) {
        return tx.preparedQuery("DELETE FROM stakeholder_update_clock WHERE incident_id = $1 AND audience = $2")
                .execute(Tuple.of(incidentId, audience.key())).replaceWithVoid();
    }

    private Uni<Map<String, Instant>> lastUpdates(SqlClient tx, UUID[] ids) {
        return tx.preparedQuery("""
                SELECT incident_id, audience, max(posted_at) AS last FROM stakeholder_update
                WHERE incident_id = ANY ($1) GROUP BY incident_id, audience
                """).execute(Tuple.of(ids)).map(rows -> {
            Map<String, Instant> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getUUID("incident_id") + "|" + r.getString("audience"),
                        r.getOffsetDateTime("last").toInstant());
            }
            return out;
        });
    }

    /**
     * Claims every due time that has passed and was not reminded yet. One reminder per missed due time: posting an
     * update moves the due time, and the new one can be missed (and reminded) again.
     */
    public Uni<List<Overdue>> claimOverdue(SqlClient tx, Instant now) {
        return tx.preparedQuery("""
                UPDATE stakeholder_update_clock SET reminded_due_at = due_at
                WHERE due_at <= $1 AND reminded_due_at IS DISTINCT FROM due_at
                RETURNING incident_id, audience, severity, cadence_minutes, due_at, last_update_at
                """).execute(Tuple.of(utc(now))).map(rows -> {
            List<Overdue> out = new ArrayList<>();
            for (Row r : rows) {
                OffsetDateTime last = r.getOffsetDateTime("last_update_at");
                out.add(new Overdue(r.getUUID("incident_id"), Audience.parse(r.getString("audience")).orElseThrow(),
                        r.getString("severity"), r.getInteger("cadence_minutes"),
                        r.getOffsetDateTime("due_at").toInstant(), last == null ? null : last.toInstant()));
            }
            return out;
        });
    }

    /** The incident's clocks, for operators. */
    public Uni<List<UpdateClock>> of(UUID incidentId, Instant now) {
        return pool.preparedQuery("""
                SELECT incident_id, audience, severity, cadence_minutes, due_at, last_update_at
                FROM stakeholder_update_clock WHERE incident_id = $1 ORDER BY due_at, audience
                """).execute(Tuple.of(incidentId)).map(rows -> {
            List<UpdateClock> out = new ArrayList<>();
            for (Row r : rows) {
                Instant due = r.getOffsetDateTime("due_at").toInstant();
                OffsetDateTime last = r.getOffsetDateTime("last_update_at");
                out.add(new UpdateClock(r.getUUID("incident_id"), r.getString("audience"), r.getString("severity"),
                        r.getInteger("cadence_minutes"), due, last == null ? null : last.toInstant(),
                        !due.isAfter(now)));
            }
            return out;
        });
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
