package io.vigil.incident.communication;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Stakeholder communications of one incident: the audiences' next-update clocks, the updates posted (operator; "no
 * change" included), and drafts rendered from live figures.
 */
@Path("/incidents/{id}")
@Tag(name = "communications")
@Produces(MediaType.APPLICATION_JSON)
public class CommunicationResource {

    private static final Set<String> UPDATE_FIELDS = Set.of("audience", "kind", "body", "next_decision",
            "next_decision_at");

    private final StakeholderUpdates updates;
    private final UpdateClocks clocks;
    private final DraftRenderer drafts;
    private final IncidentReader incidents;
    private final CommunicationClock clock;
    private final AuditActor actor;
    private final ObjectMapper json;

    CommunicationResource(StakeholderUpdates updates, UpdateClocks clocks, DraftRenderer drafts,
            IncidentReader incidents, CommunicationClock clock, AuditActor actor, ObjectMapper json) {
        this.updates = updates;
        this.clocks = clocks;
        this.drafts = drafts;
        this.incidents = incidents;
        this.clock = clock;
        this.actor = actor;
        this.json = json;
    }

    @POST
    @Path("updates")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Post a stakeholder update (or \"no change\"); resets the audience's clock",
            description = "Body: audience (executives, finance, partner-teams, support, merchants, "
                    + "public-status-page), kind (UPDATE or NO_CHANGE), body (required for UPDATE), next_decision, "
                    + "next_decision_at (RFC 3339). Recorded with the token's subject and sent to the audience's "
                    + "webhook subscribers; text for merchants and the public page is redacted by rule.")
    @APIResponse(responseCode = "201", description = "Recorded; next_due_at is the audience's new due time")
    @APIResponse(responseCode = "400", description = "problem+json naming the field")
    @APIResponse(responseCode = "404", description = "no such incident")
    public Uni<Response> post(@PathParam("id") String id, String body) {
        UUID incidentId = incidentId(id);
        JsonNode tree = JsonBodies.object(json, body, UPDATE_FIELDS);
        Audience audience = audience(JsonBodies.text(tree, "audience", true, 40), "audience");
        String kind = JsonBodies.text(tree, "kind", false, 20);
        kind = kind == null ? StakeholderUpdate.UPDATE : kind;
        if (!kind.equals(StakeholderUpdate.UPDATE) && !kind.equals(StakeholderUpdate.NO_CHANGE)) {
            throw CommsProblem.badField("kind", "UPDATE or NO_CHANGE");
        }
        String text = JsonBodies.text(tree, "body", kind.equals(StakeholderUpdate.UPDATE), 10_000);
        String nextDecision = JsonBodies.text(tree, "next_decision", false, 500);
        var nextDecisionAt = JsonBodies.instant(tree, "next_decision_at");
        if (nextDecisionAt != null && nextDecision == null) {
            throw CommsProblem.badField("next_decision", "is required with next_decision_at");
        }
        String who = actor.subject();
        return updates.post(incidentId, new StakeholderUpdates.NewUpdate(audience, kind, text, nextDecision,
                nextDecisionAt), who, clock.now()).map(u -> Response.status(201).entity(u).build());
    }

    @GET
    @Path("updates")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The incident's stakeholder updates, oldest first")
    @APIResponse(responseCode = "400", description = "unknown audience")
    public Uni<List<StakeholderUpdateView>> list(@PathParam("id") String id, @QueryParam("audience") String audience) {
        UUID incidentId = incidentId(id);
        Audience a = audience == null ? null : audience(audience, "audience");
        return exists(incidentId).chain(() -> updates.list(incidentId, a));
    }

    @GET
    @Path("update-clocks")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "When each audience's next update is due, and which are overdue")
    public Uni<List<UpdateClockView>> clocks(@PathParam("id") String id) {
        UUID incidentId = incidentId(id);
        return exists(incidentId).chain(() -> clocks.of(incidentId, clock.now()));
    }

    @GET
    @Path("drafts/{audience}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A draft update for the audience, from live figures with their provenance",
            description = "Internal audiences: impact with CI, trend since their last update, actions taken, next "
                    + "decision point, next update time. Merchants and the public page: redacted to public fields.")
    @APIResponse(responseCode = "400", description = "unknown audience")
    @APIResponse(responseCode = "404", description = "no such incident")
    public Uni<Draft> draft(@PathParam("id") String id, @PathParam("audience") String audience) {
        return drafts.draft(incidentId(id), audience(audience, "audience"), clock.now());
    }

    private Uni<Void> exists(UUID incidentId) {
        return incidents.find(incidentId).map(found -> {
            if (found.isEmpty()) {
                throw CommsProblem.notFound("id", "no incident " + incidentId);
            }
            return null;
        });
    }

    static UUID incidentId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw CommsProblem.badField("id", "must be a UUID");
        }
    }

    static Audience audience(String value, String field) {
        return Audience.parse(value).orElseThrow(() -> CommsProblem.badField(field, "one of "
                + Arrays.stream(Audience.values()).map(Audience::key).toList()));
    }
}
