package io.vigil.incident.team;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.incident.AuditTrail;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.timeline.Timeline;
import io.vigil.incident.timeline.TimelineKind;

/** Roles and assignees, the decision log, and mitigations: each change on the timeline and in the audit trail. */
@ApplicationScoped
public class TeamLog {

    private final Timeline timeline;
    private final AuditTrail audit;
    private final Clock clock;

    TeamLog(Timeline timeline, AuditTrail audit, Clock clock) {
        this.timeline = timeline;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<RoleAssignment> assign(Incident i, IncidentRole role, String assignee, String actor) {
        Instant now = clock.instant();
        return RoleAssignment.<RoleAssignment>find("incidentId = ?1 and role = ?2", i.id, role).firstResult()
                .flatMap(existing -> {
                    RoleAssignment a = existing != null ? existing : new RoleAssignment();
                    String before = existing != null ? existing.assignee : null;
                    if (existing == null) {
                        a.id = UUID.randomUUID();
                        a.incidentId = i.id;
                        a.role = role;
                    }
                    a.assignee = assignee;
                    a.assignedBy = actor;
                    a.assignedAt = now;
                    String summary = role + ": " + (before == null ? "" : before + " -> ") + assignee;
                    Uni<?> saved = existing != null ? Uni.createFrom().item(a) : a.persist();
                    return saved.flatMap(x -> timeline.add(i.id, TimelineKind.ROLE, now, summary, "", actor, null))
                            .flatMap(x -> audit.record(i.id, actor, "assign", summary))
                            .replaceWith(a);
                });
    }

    public Uni<List<RoleAssignment>> roles(UUID incidentId) {
        return RoleAssignment.list("incidentId", Sort.by("role"), incidentId);
    }

    public Uni<Decision> decide(Incident i, String decision, String options, String rationale, String owner,
            Instant decidedAt, String actor) {
        Decision d = new Decision();
        d.id = UUID.randomUUID();
        d.incidentId = i.id;
        d.decision = decision;
        d.options = options;
        d.rationale = rationale;
        d.owner = owner;
        d.decidedAt = decidedAt == null ? clock.instant() : decidedAt;
        d.recordedBy = actor;
        return d.persist()
                .flatMap(x -> timeline.add(i.id, TimelineKind.DECISION, d.decidedAt, "Decision: " + decision + " (owner "
                        + owner + ")", "options: " + options + "; rationale: " + rationale, actor, null))
                .flatMap(x -> audit.record(i.id, actor, "decision", decision))
                .replaceWith(d);
    }

    public Uni<List<Decision>> decisions(UUID incidentId) {
        return Decision.list("incidentId", Sort.by("decidedAt").and("id"), incidentId);
    }

    public Uni<MitigationAction> mitigate(Incident i, String description, String rolloutId, String owner, String actor) {
        Instant now = clock.instant();
        MitigationAction m = new MitigationAction();
        m.id = UUID.randomUUID();
        m.incidentId = i.id;
        m.description = description;
        m.rolloutId = rolloutId;
        m.status = MitigationStatus.PLANNED;
        m.owner = owner;
        m.createdAt = now;
        m.updatedAt = now;
        return m.persist()
                .flatMap(x -> timeline.add(i.id, TimelineKind.MITIGATION, now, "Mitigation: " + description
                        + (rolloutId.isEmpty() ? "" : " (rollout " + rolloutId + ")"), "owner " + owner, actor, null))
                .flatMap(x -> audit.record(i.id, actor, "mitigation", description))
                .replaceWith(m);
    }

    public Uni<List<MitigationAction>> mitigations(UUID incidentId) {
        return MitigationAction.list("incidentId", Sort.by("createdAt").and("id"), incidentId);
    }
}
