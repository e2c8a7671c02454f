package io.vigil.incident.postmortem;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    /**
     * Applies the change to the incident's item (404 when the item is not the incident's); audited with the actor and
     * what changed, old and new. Reopening a done item clears its completion, so it can be overdue again.
     */
    public Uni<ActionItem> update(UUID incidentId, UUID itemId, ActionItemChange change, String actor) {
        return ActionItem.<ActionItem>findById(itemId)
                .onItem().ifNull().failWith(() -> new IncidentProblem(404, "item_id", "no action item " + itemId))
                .flatMap(a -> {
                    if (!a.incidentId.equals(incidentId)) {
                        return Uni.createFrom().failure(new IncidentProblem(404, "item_id",
                                "no action item " + itemId + " on incident " + incidentId));
                    }
                    List<String> changed = new ArrayList<>();
                    if (change.owner() != null && !change.owner().equals(a.owner)) {
                        changed.add("owner: " + a.owner + " -> " + change.owner());
                        a.owner = change.owner();
                    }
                    if (change.dueDate() != null && !change.dueDate().equals(a.dueDate)) {
                        changed.add("due_date: " + a.dueDate + " -> " + change.dueDate());
                        a.dueDate = change.dueDate();
                    }
                    if (change.verification() != null && !change.verification().equals(a.verification)) {
                        changed.add("verification: " + a.verification + " -> " + change.verification());
                        a.verification = change.verification();
                    }
                    ActionItemStatus was = a.doneAt == null ? ActionItemStatus.OPEN : ActionItemStatus.DONE;
                    if (change.status() != null && change.status() != was) {
                        changed.add("status: " + was + " -> " + change.status());
                        a.doneAt = change.status() == ActionItemStatus.DONE ? clock.instant() : null;
                    }
                    if (changed.isEmpty()) {
                        return Uni.createFrom().item(a);
                    }
                    return audit.record(a.incidentId, actor, "action-item-updated",
                            a.kind + ": " + a.description + " (" + String.join("; ", changed) + ")").replaceWith(a);
                });
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
