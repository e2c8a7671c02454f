package io.vigil.incident.postmortem;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.incident.AuditTrail;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.IncidentProblem;

/** Postmortem action items: typed, owned, due, verifiable; overdue ones (due before today, UTC, not done) surfaced. */
@ApplicationScoped
public class ActionItems {

    private final AuditTrail audit;
    private final Clock clock;

    ActionItems(AuditTrail audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Uni<ActionItem> add(Incident i, ActionItemKind kind, String description, String owner, LocalDate due,
            String verification, String actor) {
        ActionItem a = new ActionItem();
        a.id = UUID.randomUUID();
        a.incidentId = i.id;
        a.kind = kind;
        a.description = description;
        a.owner = owner;
        a.dueDate = due;
        a.verification = verification;
        a.createdBy = actor;
        a.createdAt = clock.instant();
        return a.persist().flatMap(x -> audit.record(i.id, actor, "action-item", kind + ": " + description)).replaceWith(a);
    }

    public Uni<List<ActionItem>> of(UUID incidentId) {
        return ActionItem.list("incidentId", Sort.by("dueDate").and("id"), incidentId);
    }

    /** Open items due before today, oldest first; all items when {@code overdueOnly} is false. */
    public Uni<List<ActionItem>> all(boolean overdueOnly) {
        return overdueOnly
                ? ActionItem.list("doneAt is null and dueDate < ?1", Sort.by("dueDate").and("id"), today())
                : ActionItem.listAll(Sort.by("dueDate").and("id"));
    }

    public Uni<ActionItem> done(UUID id, String actor) {
        return ActionItem.<ActionItem>findById(id)
                .onItem().ifNull().failWith(() -> new IncidentProblem(404, "id", "no action item " + id))
                .flatMap(a -> {
                    if (a.doneAt != null) {
                        return Uni.createFrom().failure(IncidentProblem.conflict("id", "action item already done at " + a.doneAt));
                    }
                    a.doneAt = clock.instant();
                    return audit.record(a.incidentId, actor, "action-item-done", a.kind + ": " + a.description).replaceWith(a);
                });
    }
}
