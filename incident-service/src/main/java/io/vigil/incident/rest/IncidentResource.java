package io.vigil.incident.rest;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.allclear.AllClearService;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.IncidentEngine;
import io.vigil.incident.incident.IncidentProblem;
import io.vigil.incident.incident.IncidentState;
import io.vigil.incident.incident.Severity;
import io.vigil.incident.postmortem.ActionItemChange;
import io.vigil.incident.postmortem.ActionItemKind;
import io.vigil.incident.postmortem.ActionItemStatus;
import io.vigil.incident.postmortem.ActionItems;
import io.vigil.incident.postmortem.PostmortemDraft;
import io.vigil.incident.team.IncidentRole;
import io.vigil.incident.team.TeamLog;
import io.vigil.incident.timeline.Timeline;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Incidents over REST: list, open by hand, read, move through states, notes, severity override, roles, decisions,
 * mitigations, all-clear. Viewers read; operators run the incident; commanders override severity and resolve.
 */
@Path("/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    public record OpenRequest(String title, String severity, List<String> components, String metric, String cohort,
            String rolloutId, String occurredAt) {
    }

    public record TransitionRequest(String state, String reason) {
    }

    public record NoteRequest(String text, String occurredAt) {
    }

    public record SeverityRequest(String severity, String reason) {
    }

    public record AssignRequest(String assignee) {
    }

    public record DecisionRequest(String decision, List<String> options, String rationale, String owner,
            String decidedAt) {
    }

    public record MitigationRequest(String description, String rolloutId, String owner) {
    }

    public record ActionItemRequest(String kind, String description, String owner, String dueDate, String verification) {
    }

    public record CriteriaRequest(Double threshold, Integer windows, Integer windowMinutes, Double volumeTolerance,
            Double queueShare) {
    }

    public record AllClearView(Views.IncidentView incident, String metric, String cohort, double threshold, int windows,
            int windowMinutes, double volumeTolerance, double queueShare, Double baselineVolume, Instant proposedAt,
            String evidence, CheckView check) {
    }

    /** The criteria judged against the windows stored now: met or not, and why. */
    public record CheckView(boolean met, List<String> evidence, List<String> failures, Instant lastWindowEnd) {
    }

    private final IncidentEngine engine;
    private final Timeline timeline;
    private final TeamLog team;
    private final AllClearService allClear;
    private final AuditActor actor;
    private final SecurityIdentity identity;
    private final Clock clock;
    private final ActionItems items;

    IncidentResource(IncidentEngine engine, Timeline timeline, TeamLog team, AllClearService allClear, AuditActor actor,
            SecurityIdentity identity, Clock clock, ActionItems items) {
        this.items = items;
        this.engine = engine;
        this.timeline = timeline;
        this.team = team;
        this.allClear = allClear;
        this.actor = actor;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.IncidentView>> list(@QueryParam("state") String state, @QueryParam("open") Boolean open) {
        Uni<List<Incident>> found;
        if (state != null) {
            IncidentState s = Requests.enumValue(IncidentState.class, state, "state");
            found = Incident.list("state", Sort.descending("openedAt").and("id"), s);
        } else if (Boolean.TRUE.equals(open)) {
            found = Incident.list("state in ?1", Sort.descending("openedAt").and("id"), List.of(IncidentState.DETECTED,
                    IncidentState.INVESTIGATING, IncidentState.MITIGATING, IncidentState.MONITORING));
        } else {
            found = Incident.listAll(Sort.descending("openedAt").and("id"));
        }
        return found.map(l -> l.stream().map(Views.IncidentView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Response> open(OpenRequest r) {
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        String title = Requests.text(r.title(), "title", Requests.MAX_NAME);
        Severity severity = Requests.enumValue(Severity.class, r.severity(), "severity");
        List<String> components = Requests.components(r.components(), "components");
        String metric = Requests.optionalText(r.metric(), "metric", Requests.MAX_NAME);
        String cohort = Requests.optionalText(r.cohort(), "cohort", Requests.MAX_NAME);
        String rollout = Requests.optionalText(r.rolloutId(), "rollout_id", Requests.MAX_NAME);
        Instant at = Requests.optionalInstant(r.occurredAt(), "occurred_at");
        String who = actor.subject();
        return engine.openByHand(title, severity, components, metric, cohort, rollout, at == null ? clock.instant() : at, who)
                .map(i -> Response.created(URI.create("/incidents/" + i.id)).entity(Views.IncidentView.of(i)).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<Views.IncidentView> get(@PathParam("id") String id) {
        return engine.get(Requests.id(id, "id")).map(Views.IncidentView::of);
    }

    @GET
    @Path("/{id}/timeline")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.TimelineView>> timeline(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> timeline.of(uuid)).map(l -> l.stream().map(Views.TimelineView::of).toList());
    }

    @GET
    @Path("/{id}/audit")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.AuditView>> audit(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> io.vigil.incident.incident.IncidentAudit
                .<io.vigil.incident.incident.IncidentAudit>list("incidentId", Sort.by("recordedAt").and("id"), uuid))
                .map(l -> l.stream().map(Views.AuditView::of).toList());
    }

    @POST
    @Path("/{id}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Views.IncidentView> transition(@PathParam("id") String id, TransitionRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        IncidentState target = Requests.enumValue(IncidentState.class, r.state(), "state");
        String reason = Requests.text(r.reason(), "reason", Requests.MAX_TEXT);
        if (target == IncidentState.RESOLVED || target == IncidentState.CLOSED) {
            requireCommander("resolving or closing an incident");
        }
        return engine.transition(uuid, target, reason, actor.subject()).map(Views.IncidentView::of);
    }

    @POST
    @Path("/{id}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Response> note(@PathParam("id") String id, NoteRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        String text = Requests.text(r.text(), "text", Requests.MAX_TEXT);
        Instant at = Requests.optionalInstant(r.occurredAt(), "occurred_at");
        return engine.note(uuid, text, at, actor.subject())
                .map(e -> Response.status(201).entity(Views.TimelineView.of(e)).build());
    }

    @PUT
    @Path("/{id}/severity")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COMMANDER)
    @WithTransaction
    public Uni<Views.IncidentView> severity(@PathParam("id") String id, SeverityRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        Severity level = Requests.enumValue(Severity.class, r.severity(), "severity");
        String reason = Requests.text(r.reason(), "reason", Requests.MAX_TEXT);
        return engine.overrideSeverity(uuid, level, reason, actor.subject()).map(Views.IncidentView::of);
    }

    @GET
    @Path("/{id}/roles")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.RoleView>> roles(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> team.roles(uuid)).map(l -> l.stream().map(Views.RoleView::of).toList());
    }

    @PUT
    @Path("/{id}/roles/{role}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Views.RoleView> assign(@PathParam("id") String id, @PathParam("role") String role, AssignRequest r) {
        UUID uuid = Requests.id(id, "id");
        IncidentRole incidentRole = Requests.enumValue(IncidentRole.class, role == null ? null : role.replace('-', '_'),
                "role");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        String assignee = Requests.subject(r.assignee(), "assignee");
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> team.assign(i, incidentRole, assignee, who)).map(Views.RoleView::of);
    }

    @GET
    @Path("/{id}/decisions")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.DecisionView>> decisions(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> team.decisions(uuid)).map(l -> l.stream().map(Views.DecisionView::of).toList());
    }

    @POST
    @Path("/{id}/decisions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Response> decide(@PathParam("id") String id, DecisionRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        String decision = Requests.text(r.decision(), "decision", Requests.MAX_TEXT);
        if (r.options() == null || r.options().isEmpty() || r.options().size() > 20) {
            throw new InvalidField("options", "1 to 20 options considered are required");
        }
        StringBuilder options = new StringBuilder();
        for (int k = 0; k < r.options().size(); k++) {
            options.append(k == 0 ? "" : "\n").append(Requests.text(r.options().get(k), "options[" + k + "]", Requests.MAX_NAME));
        }
        String rationale = Requests.text(r.rationale(), "rationale", Requests.MAX_TEXT);
        String owner = Requests.subject(r.owner(), "owner");
        Instant at = Requests.optionalInstant(r.decidedAt(), "decided_at");
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> team.decide(i, decision, options.toString(), rationale, owner, at, who))
                .map(d -> Response.status(201).entity(Views.DecisionView.of(d)).build());
    }

    @GET
    @Path("/{id}/mitigations")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.MitigationView>> mitigations(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> team.mitigations(uuid))
                .map(l -> l.stream().map(Views.MitigationView::of).toList());
    }

    @POST
    @Path("/{id}/mitigations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Response> mitigate(@PathParam("id") String id, MitigationRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        String description = Requests.text(r.description(), "description", Requests.MAX_TEXT);
        String rollout = Requests.optionalText(r.rolloutId(), "rollout_id", Requests.MAX_NAME);
        String owner = Requests.subject(r.owner(), "owner");
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> team.mitigate(i, description, rollout, owner, who))
                .map(m -> Response.status(201).entity(Views.MitigationView.of(m)).build());
    }

    @GET
    @Path("/{id}/all-clear")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<AllClearView> allClear(@PathParam("id") String id) {
        return engine.get(Requests.id(id, "id")).flatMap(this::allClearView);
    }

    @PUT
    @Path("/{id}/all-clear/criteria")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COMMANDER)
    @WithTransaction
    public Uni<AllClearView> criteria(@PathParam("id") String id, CriteriaRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        double threshold = Requests.fraction(r.threshold(), "threshold");
        int windows = Requests.positive(r.windows(), "windows", 48);
        int minutes = Requests.positive(r.windowMinutes(), "window_minutes", 1440);
        double tolerance = Requests.fraction(r.volumeTolerance(), "volume_tolerance");
        double queue = Requests.fraction(r.queueShare(), "queue_share");
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> {
            if (i.criteriaMetric == null) {
                return Uni.createFrom().failure(IncidentProblem.conflict("id",
                        "this incident has no metric to judge all-clear by (opened without one)"));
            }
            i.criteriaThreshold = threshold;
            i.criteriaWindows = windows;
            i.criteriaWindowMinutes = minutes;
            i.criteriaVolumeTolerance = tolerance;
            i.criteriaQueueShare = queue;
            return io.vigil.incident.incident.IncidentAudit.of(i.id, who, "all-clear-criteria", String.format(
                    java.util.Locale.ROOT, "threshold %.4f, %d windows of %d min, volume +-%.2f, queue < %.2f",
                    threshold, windows, minutes, tolerance, queue), clock.instant()).persist()
                    .flatMap(x -> allClear.evaluate(i)).replaceWith(i);
        }).flatMap(this::allClearView);
    }

    @POST
    @Path("/{id}/all-clear/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COMMANDER)
    @WithTransaction
    public Uni<Views.IncidentView> confirm(@PathParam("id") String id, NoteRequest r) {
        UUID uuid = Requests.id(id, "id");
        String note = r == null ? "" : Requests.optionalText(r.text(), "text", Requests.MAX_TEXT);
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> {
            if (i.resolutionProposedAt == null) {
                return Uni.createFrom().failure(IncidentProblem.conflict("id",
                        "no all-clear is proposed: the criteria have not been met (GET .../all-clear shows why)"));
            }
            return engine.transition(uuid, IncidentState.RESOLVED, "all-clear confirmed: " + i.resolutionEvidence
                    + (note.isEmpty() ? "" : "; " + note), who);
        }).map(Views.IncidentView::of);
    }

    @GET
    @Path("/{id}/postmortem")
    @Produces("text/markdown")
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<String> postmortem(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> timeline.of(uuid)
                .flatMap(tl -> team.decisions(uuid)
                        .flatMap(ds -> team.mitigations(uuid)
                                .flatMap(ms -> team.roles(uuid)
                                        .flatMap(rs -> items.of(uuid)
                                                .map(as -> PostmortemDraft.render(i, tl, ds, ms, rs, as, items.today())))))));
    }

    @GET
    @Path("/{id}/action-items")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.ActionItemView>> actionItems(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return engine.get(uuid).flatMap(i -> items.of(uuid))
                .map(l -> l.stream().map(a -> Views.ActionItemView.of(a, items.today())).toList());
    }

    @POST
    @Path("/{id}/action-items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Response> addActionItem(@PathParam("id") String id, ActionItemRequest r) {
        UUID uuid = Requests.id(id, "id");
        if (r == null) {
            throw new InvalidField("body", "is required");
        }
        ActionItemKind kind = Requests.enumValue(ActionItemKind.class, r.kind(), "kind");
        String description = Requests.text(r.description(), "description", Requests.MAX_TEXT);
        String owner = Requests.subject(r.owner(), "owner");
        var due = Requests.date(r.dueDate(), "due_date");
        String verification = Requests.text(r.verification(), "verification", Requests.MAX_TEXT);
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> items.add(i, kind, description, owner, due, verification, who))
                .map(a -> Response.status(201).entity(Views.ActionItemView.of(a, items.today())).build());
    }

    /** The fields an action item edit may carry. */
    static final java.util.Set<String> ACTION_ITEM_EDITABLE = java.util.Set.of("owner", "due_date", "status",
            "verification");

    @PATCH
    @Path("/{id}/action-items/{itemId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    @Operation(summary = "Edit an action item: owner, due_date, status (OPEN or DONE), verification",
            description = "Any subset of the four fields; the others stay. Audited with the token's subject and what "
                    + "changed. An item moved back to OPEN past its due date is overdue again.")
    @APIResponse(responseCode = "200", description = "The item as it is now")
    @APIResponse(responseCode = "400", description = "problem+json naming the field")
    @APIResponse(responseCode = "404", description = "no such incident, or no such item on it")
    public Uni<Views.ActionItemView> editActionItem(@PathParam("id") String id, @PathParam("itemId") String itemId,
            JsonNode body) {
        UUID uuid = Requests.id(id, "id");
        UUID item = Requests.id(itemId, "item_id");
        ActionItemChange change = actionItemChange(body);
        String who = actor.subject();
        return engine.get(uuid).flatMap(i -> items.update(uuid, item, change, who))
                .map(a -> Views.ActionItemView.of(a, items.today()));
    }

    /** Validates every field before anything is read or written, so a refused edit changes nothing. */
    static ActionItemChange actionItemChange(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidField("body", "must be a JSON object with any of " + ACTION_ITEM_EDITABLE);
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!ACTION_ITEM_EDITABLE.contains(f)) {
                throw new InvalidField(f, "not editable; an action item edit carries only owner, due_date, status,"
                        + " verification");
            }
        });
        if (body.isEmpty()) {
            throw new InvalidField("body", "nothing to change: give owner, due_date, status or verification");
        }
        String owner = body.has("owner") ? Requests.subject(textOf(body, "owner"), "owner") : null;
        java.time.LocalDate due = body.has("due_date") ? Requests.date(textOf(body, "due_date"), "due_date") : null;
        ActionItemStatus status = body.has("status")
                ? Requests.enumValue(ActionItemStatus.class, textOf(body, "status"), "status") : null;
        String verification = body.has("verification")
                ? Requests.text(textOf(body, "verification"), "verification", Requests.MAX_TEXT) : null;
        return new ActionItemChange(owner, due, status, verification);
    }

    /** The field's text; null (refused by the field's own check) when it is null or not a string. */
    private static String textOf(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw new InvalidField(field, "must be a string");
        }
        return v == null || v.isNull() ? null : v.textValue();
    }

    private Uni<AllClearView> allClearView(Incident i) {
        if (i.criteriaMetric == null) {
            return Uni.createFrom().item(new AllClearView(Views.IncidentView.of(i), null, null, 0, 0, 0, 0, 0, null,
                    i.resolutionProposedAt, i.resolutionEvidence, null));
        }
        return allClear.check(i).map(r -> {
            var c = allClear.criteriaOf(i);
            return new AllClearView(Views.IncidentView.of(i), c.metric(), c.cohort(), c.threshold(), c.windows(),
                    c.windowMinutes(), c.volumeTolerance(), c.queueShare(), i.baselineVolume, i.resolutionProposedAt,
                    i.resolutionEvidence, new CheckView(r.met(), r.evidence(), r.failures(), r.lastWindowEnd()));
        });
    }

    private void requireCommander(String what) {
        if (!identity.hasRole(Roles.COMMANDER)) {
            throw new ForbiddenException(what + " needs the commander role");
        }
    }
}
