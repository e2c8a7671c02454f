package io.vigil.incident.postmortem;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import io.vigil.incident.incident.Incident;
import io.vigil.incident.team.Decision;
import io.vigil.incident.team.MitigationAction;
import io.vigil.incident.team.RoleAssignment;
import io.vigil.incident.timeline.TimelineEntry;
import io.vigil.incident.timeline.TimelineKind;

/**
 * The postmortem draft in Markdown, pre-filled from the record: impact interval and CI, the timeline, versions
 * involved (deploys, rollouts, activations), decisions, mitigations, action items (overdue ones marked). Sections
 * only people can write (root cause, what went well) are left as prompts. Pure: built from loaded entities.
 */
public final class PostmortemDraft {

    private PostmortemDraft() {
    }

    public static String render(Incident i, List<TimelineEntry> timeline, List<Decision> decisions,
            List<MitigationAction> mitigations, List<RoleAssignment> roles, List<ActionItem> items, LocalDate today) {
        StringBuilder b = new StringBuilder();
        b.append("# Postmortem (draft): ").append(cell(i.title)).append("\n\n");
        b.append("- Incident: `").append(i.id).append("`, ").append(i.severity).append(", ").append(i.state).append('\n');
        b.append("- Opened: ").append(i.openedAt).append(" (by ").append(cell(i.openedBy)).append(")\n");
        if (!i.metric.isEmpty()) {
            b.append("- Signal: ").append(cell(i.metric)).append(" in ")
                    .append(i.cohort.isEmpty() ? "all traffic" : cell(i.cohort)).append('\n');
        }
        if (!i.rolloutId.isEmpty()) {
            b.append("- Rollout: ").append(cell(i.rolloutId)).append('\n');
        }
        b.append("- Components: ").append(String.join(", ", i.components)).append("\n\n");

        b.append("## Impact\n\n");
        Instant end = i.resolvedAt != null ? i.resolvedAt : i.lastEventAt;
        b.append("- Interval (event time): ").append(i.openedAt).append(" to ")
                .append(i.resolvedAt != null ? i.resolvedAt + " (resolved)" : i.lastEventAt + " (last event; not resolved)")
                .append(", ").append(hours(Duration.between(i.openedAt, end))).append('\n');
        b.append(String.format(Locale.ROOT, "- Excess harmed transactions: %.0f to %.0f (confidence bounds from the "
                + "verdict evidence: harm bounds x exposure)%n", i.excessHarmedLow, i.excessHarmedHigh));
        b.append(String.format(Locale.ROOT, "- Money at stake: at least %.0f%n", i.moneyAtStake));
        b.append(String.format(Locale.ROOT, "- Share of checkout affected: %.2f%%%n", i.checkoutShare * 100));
        b.append("- SLA breached: ").append(i.slaBreached ? "yes" : "no").append('\n');
        if (i.resolutionEvidence != null) {
            b.append("- All-clear evidence: ").append(cell(i.resolutionEvidence)).append('\n');
        }
        b.append('\n');

        b.append("## Roles\n\n");
        if (roles.isEmpty()) {
            b.append("_none assigned_\n");
        }
        for (RoleAssignment r : roles) {
            b.append("- ").append(r.role).append(": ").append(cell(r.assignee)).append('\n');
        }
        b.append('\n');

        b.append("## Timeline (event time, UTC)\n\n| Time | Kind | What | Seen |\n|---|---|---|---|\n");
        for (TimelineEntry e : timeline) {
            b.append("| ").append(e.occurredAt).append(" | ").append(e.kind).append(" | ").append(cell(e.summary))
                    .append(" | ").append(e.occurrences > 1 ? e.occurrences + "x, " + e.firstSeen + " to " + e.lastSeen : "")
                    .append(" |\n");
        }
        b.append('\n');

        b.append("## Versions involved\n\n");
        List<TimelineEntry> versions = timeline.stream()
                .filter(e -> e.kind == TimelineKind.DEPLOY || e.kind == TimelineKind.ROLLOUT).toList();
        if (versions.isEmpty()) {
            b.append("_no deploys or rollouts recorded near the incident_\n");
        }
        for (TimelineEntry e : versions) {
            b.append("- ").append(e.occurredAt).append(": ").append(cell(e.summary));
            if (e.detail != null && e.detail.startsWith("lineup")) {
                b.append(" (").append(cell(e.detail)).append(')');
            }
            b.append('\n');
        }
        b.append('\n');

        b.append("## Decisions\n\n| Time | Decision | Options considered | Rationale | Owner |\n|---|---|---|---|---|\n");
        for (Decision d : decisions) {
            b.append("| ").append(d.decidedAt).append(" | ").append(cell(d.decision)).append(" | ")
                    .append(cell(d.options)).append(" | ").append(cell(d.rationale)).append(" | ").append(cell(d.owner))
                    .append(" |\n");
        }
        b.append('\n');

        b.append("## Mitigations\n\n");
        if (mitigations.isEmpty()) {
            b.append("_none recorded_\n");
        }
        for (MitigationAction m : mitigations) {
            b.append("- ").append(cell(m.description)).append(" (").append(m.status)
                    .append(m.rolloutId.isEmpty() ? "" : ", rollout " + cell(m.rolloutId)).append(", owner ")
                    .append(cell(m.owner)).append(")\n");
        }
        b.append('\n');

        b.append("## Action items\n\n| Kind | Action | Owner | Due | Verified by | Status |\n|---|---|---|---|---|---|\n");
        for (ActionItem a : items) {
            String status = a.doneAt != null ? "done " + a.doneAt : a.overdue(today) ? "**OVERDUE**" : "open";
            b.append("| ").append(a.kind).append(" | ").append(cell(a.description)).append(" | ").append(cell(a.owner))
                    .append(" | ").append(a.dueDate).append(" | ").append(cell(a.verification)).append(" | ")
                    .append(status).append(" |\n");
        }
        b.append('\n');

        b.append("## Root cause\n\n_To be written: the cause, and why it was not caught earlier._\n\n");
        b.append("## What went well, what did not\n\n_To be written._\n");
        return b.toString();
    }

    private static String hours(Duration d) {
        return String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
    }

    /** Text inside a Markdown table cell or list item: no pipes or line breaks that would break the layout. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>");
    }
}
