package io.vigil.incident.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.IncidentAudit;
import io.vigil.incident.postmortem.ActionItem;
import io.vigil.incident.team.Decision;
import io.vigil.incident.team.MitigationAction;
import io.vigil.incident.team.RoleAssignment;
import io.vigil.incident.timeline.TimelineEntry;

/** What the REST API answers (snake_case on the wire). */
final class Views {

    private Views() {
    }

    record ImpactView(double excessHarmedLow, double excessHarmedHigh, double moneyAtStake, double checkoutShare,
            boolean slaBreached) {
    }

    record SeverityView(String level, String computed, String pendingLower, Instant pendingSince, String overriddenBy,
            String overrideReason) {
    }

    record ResolutionView(Instant proposedAt, String evidence, Instant resolvedAt, Instant closedAt) {
    }

    record IncidentView(UUID id, String title, String state, List<String> allowedTransitions, String severity,
            SeverityView severityDetail, String groupingKey, String metric, String cohort, String rolloutId,
            List<String> components, Instant openedAt, Instant lastEventAt, String openedBy, ImpactView impact,
            ResolutionView resolution, long version) {

        static IncidentView of(Incident i) {
            return new IncidentView(i.id, i.title, i.state.name(), i.state.next().stream().map(Enum::name).toList(),
                    i.severity.name(),
                    new SeverityView(i.severity.name(), i.computedSeverity == null ? null : i.computedSeverity.name(),
                            i.lowerSeverity == null ? null : i.lowerSeverity.name(), i.lowerSeveritySince,
                            i.severityOverriddenBy, i.severityOverrideReason),
                    i.groupingKey, i.metric, i.cohort, i.rolloutId, i.components, i.openedAt, i.lastEventAt, i.openedBy,
                    new ImpactView(i.excessHarmedLow, i.excessHarmedHigh, i.moneyAtStake, i.checkoutShare, i.slaBreached),
                    new ResolutionView(i.resolutionProposedAt, i.resolutionEvidence, i.resolvedAt, i.closedAt), i.version);
        }
    }

    record TimelineView(UUID id, Instant occurredAt, String kind, String summary, String detail, Instant firstSeen,
            Instant lastSeen, int count, String author, Instant recordedAt) {

        static TimelineView of(TimelineEntry e) {
            return new TimelineView(e.id, e.occurredAt, e.kind.name(), e.summary, e.detail, e.firstSeen, e.lastSeen,
                    e.occurrences, e.author, e.recordedAt);
        }
    }

    record AuditView(String actor, String action, String detail, Instant recordedAt) {

        static AuditView of(IncidentAudit a) {
            return new AuditView(a.actor, a.action, a.detail, a.recordedAt);
        }
    }

    record RoleView(String role, String assignee, String assignedBy, Instant assignedAt) {

        static RoleView of(RoleAssignment a) {
            return new RoleView(a.role.name(), a.assignee, a.assignedBy, a.assignedAt);
        }
    }

    record DecisionView(UUID id, String decision, String options, String rationale, String owner, Instant decidedAt,
            String recordedBy) {

        static DecisionView of(Decision d) {
            return new DecisionView(d.id, d.decision, d.options, d.rationale, d.owner, d.decidedAt, d.recordedBy);
        }
    }

    record MitigationView(UUID id, String description, String rolloutId, String status, String owner, Instant createdAt,
            Instant updatedAt) {

        static MitigationView of(MitigationAction m) {
            return new MitigationView(m.id, m.description, m.rolloutId, m.status.name(), m.owner, m.createdAt,
                    m.updatedAt);
        }
    }

    record ActionItemView(UUID id, UUID incidentId, String kind, String description, String owner, LocalDate dueDate,
            String verification, Instant doneAt, boolean overdue) {

        static ActionItemView of(ActionItem a, LocalDate today) {
            return new ActionItemView(a.id, a.incidentId, a.kind.name(), a.description, a.owner, a.dueDate,
                    a.verification, a.doneAt, a.overdue(today));
        }
    }
}
