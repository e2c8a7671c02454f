package io.vigil.incident.communication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.incident.IncidentState;

/**
 * The next-update-due clocks ({@link UpdateClock}). Call these inside {@code Panache.withTransaction}. Safe with
 * several replicas: every writer of clocks (the cadence tick, posting an update) first takes {@link #lock()}, so
 * arming never races a post or another replica's arming; and the overdue sweep claims each missed due time with a
 * conditional update on {@code reminded_due_at}, so exactly one tick ever gets it back, lock or no lock.
 */
@ApplicationScoped
public class UpdateClocks {

    /** Arbitrary, fixed, distinct from ingest's: the advisory lock every writer of clocks takes. */
    static final long CLOCKS_LOCK = 0x76696769_6c636c6bL;

    private static final List<IncidentState> ENDED = List.of(IncidentState.RESOLVED, IncidentState.CLOSED);

    private final IncidentReader incidents;
    private final UpdateClockPlanner planner;

    UpdateClocks(IncidentReader incidents, CommunicationsConfig config) {
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

    /** Serialises the writers of clocks across replicas until the transaction ends. */
    Uni<Void> lock() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + CLOCKS_LOCK + ")) AS l", Integer.class)
                .getSingleResult()).replaceWithVoid();
    }

    /**
     * Brings every clock in line with the incidents: arms clocks for new incidents and audiences, re-plans after a
     * severity change, removes clocks of resolved incidents and of audiences without a cadence at the severity.
     * Takes {@link #lock()}.
     */
    public Uni<Void> arm() {
        return lock()
                .chain(() -> UpdateClock.<UpdateClock>list(
                        "incidentId in (select i.id from Incident i where i.state in ?1)", ENDED))
                .chain(ended -> Multi.createFrom().iterable(ended)
                        .onItem().transformToUniAndConcatenate(c -> c.delete()).collect().last())
                .chain(() -> incidents.loadActive())
                .chain(active -> {
                    if (active.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<UUID> ids = active.stream().map(IncidentFacts::id).toList();
                    // one statement at a time: a Hibernate Reactive session runs no two queries at once
                    return existing(ids).chain(clocks -> lastUpdates(ids)
                            .chain(last -> Multi.createFrom().iterable(active)
                                    .onItem().transformToUniAndConcatenate(i -> armOne(i, clocks, last))
                                    .collect().last().replaceWithVoid()));
                })
                // the sweep's conditional update must see the clocks as armed
                .chain(() -> Panache.getSession().chain(s -> s.flush()));
    }

    private Uni<Void> armOne(IncidentFacts incident, Map<UpdateClock.Key, UpdateClock> clocks,
            Map<UpdateClock.Key, Instant> last) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Audience audience : Audience.values()) {
            UpdateClock.Key key = new UpdateClock.Key(incident.id(), audience.key());
            Instant lastUpdate = last.get(key);
            Optional<UpdateClockPlanner.PlannedClock> plan = planner.plan(incident, audience, lastUpdate);
            UpdateClock clock = clocks.get(key);
            chain = chain.chain(() -> plan.map(p -> set(clock, incident.id(), p, lastUpdate))
                    .orElseGet(() -> clock == null ? Uni.createFrom().voidItem() : clock.delete()));
        }
        return chain;
    }

    /**
     * Sets the clock to the plan. A clock that already saw a later update than {@code lastUpdate} is left alone: its
     * writer knew more.
     */
    Uni<Void> set(UpdateClock clock, UUID incidentId, UpdateClockPlanner.PlannedClock plan, Instant lastUpdate) {
        if (clock == null) {
            UpdateClock c = new UpdateClock();
            c.incidentId = incidentId;
            c.audience = plan.audience().key();
            apply(c, plan, lastUpdate);
            return c.persist().replaceWithVoid();
        }
        boolean newer = clock.lastUpdateAt != null && (lastUpdate == null || lastUpdate.isBefore(clock.lastUpdateAt));
        if (!newer) {
            apply(clock, plan, lastUpdate);
        }
        return Uni.createFrom().voidItem();
    }

    private static void apply(UpdateClock c, UpdateClockPlanner.PlannedClock plan, Instant lastUpdate) {
        c.severity = plan.severity();
        c.cadenceMinutes = (int) plan.cadence().toMinutes();
        c.dueAt = plan.dueAt();
        c.lastUpdateAt = lastUpdate;
    }

    /** The clock of one incident and audience, if armed. */
    Uni<UpdateClock> find(UUID incidentId, Audience audience) {
        return UpdateClock.findById(new UpdateClock.Key(incidentId, audience.key()));
    }

    private Uni<Map<UpdateClock.Key, UpdateClock>> existing(List<UUID> ids) {
        return UpdateClock.<UpdateClock>list("incidentId in ?1", ids).map(list -> {
            Map<UpdateClock.Key, UpdateClock> out = new HashMap<>();
            for (UpdateClock c : list) {
                out.put(new UpdateClock.Key(c.incidentId, c.audience), c);
            }
            return out;
        });
    }

    private Uni<Map<UpdateClock.Key, Instant>> lastUpdates(List<UUID> ids) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                select u.incidentId, u.audience, max(u.postedAt) from StakeholderUpdate u
                where u.incidentId in (:ids) group by u.incidentId, u.audience
                """, Object[].class).setParameter("ids", ids).getResultList()).map(rows -> {
            Map<UpdateClock.Key, Instant> out = new HashMap<>();
            for (Object[] r : rows) {
                out.put(new UpdateClock.Key((UUID) r[0], (String) r[1]), (Instant) r[2]);
            }
            return out;
        });
    }

    /**
     * Claims every due time that has passed and was not reminded yet. One reminder per missed due time: posting an
     * update moves the due time, and the new one can be missed (and reminded) again. Each claim is a conditional
     * update that only one transaction can win: a concurrent one waits on the row, then finds the condition false.
     */
    public Uni<List<Overdue>> claimOverdue(Instant now) {
        return UpdateClock.<UpdateClock>list("dueAt <= ?1 and (remindedDueAt is null or remindedDueAt <> dueAt)",
                Sort.by("dueAt").and("incidentId").and("audience"), now)
                .chain(candidates -> Multi.createFrom().iterable(candidates)
                        .onItem().transformToUniAndConcatenate(c -> UpdateClock.update(
                                "remindedDueAt = ?3 where incidentId = ?1 and audience = ?2 and dueAt = ?3"
                                        + " and (remindedDueAt is null or remindedDueAt <> ?3)",
                                c.incidentId, c.audience, c.dueAt)
                                .map(won -> won == 1 ? Optional.of(overdue(c)) : Optional.<Overdue>empty()))
                        .collect().asList())
                .map(claims -> {
                    List<Overdue> out = new ArrayList<>();
                    claims.forEach(o -> o.ifPresent(out::add));
                    return out;
                });
    }

    private static Overdue overdue(UpdateClock c) {
        return new Overdue(c.incidentId, Audience.parse(c.audience).orElseThrow(), c.severity, c.cadenceMinutes,
                c.dueAt, c.lastUpdateAt);
    }

    /** The incident's clocks, for operators. */
    public Uni<List<UpdateClockView>> of(UUID incidentId, Instant now) {
        return Panache.withSession(() -> UpdateClock.<UpdateClock>list("incidentId",
                Sort.by("dueAt").and("audience"), incidentId))
                .map(list -> list.stream().map(c -> UpdateClockView.of(c, now)).toList());
    }
}
