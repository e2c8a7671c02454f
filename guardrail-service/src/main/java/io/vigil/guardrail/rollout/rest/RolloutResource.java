package io.vigil.guardrail.rollout.rest;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import com.fasterxml.jackson.databind.node.TextNode;

import io.smallrye.mutiny.Uni;
import io.vigil.guardrail.rollout.plan.PlanReader;
import io.vigil.guardrail.rollout.plan.PlanValidationException;
import io.vigil.guardrail.rollout.state.RolloutService;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Rollouts over REST: create from a JSON or YAML plan, list, show with steps, guardrails, audit and the latest
 * evidence, the operator's actions (each with a reason), sign-offs, the verdicts, and each guardrail's chart.
 */
@Path("/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RolloutResource {

    public record Reason(String reason) {
    }

    public record SignOffRequest(String role, String reason) {
    }

    /** A capacity guardrail's new capacity (events per period), its period if it changes, and why. */
    public record CapacityChange(Double capacity, String period, String reason) {
    }

    static final String YAML = "application/yaml";

    private final RolloutService rollouts;
    private final RolloutViews views;
    private final AuditActor actor;

    RolloutResource(RolloutService rollouts, RolloutViews views, AuditActor actor) {
        this.rollouts = rollouts;
        this.views = views;
        this.actor = actor;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Create a rollout from a plan (JSON or YAML) and start its first step")
    @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON), @Content(mediaType = YAML)})
    public Uni<Response> create(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body,
            @Context UriInfo uri) {
        boolean yaml = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("yaml");
        String subject = actor.subject();
        return Uni.createFrom().deferred(() -> rollouts.create(body, yaml, subject))
                .flatMap(id -> views.detail(id, uri.getBaseUri().toString())
                        .map(d -> Response.created(URI.create(uri.getBaseUri() + "rollouts/" + id)).entity(d)
                                .build()));
    }

    @GET
    @Operation(summary = "Rollouts with their target, state, current step, share and last verdict")
    public Uni<List<RolloutViews.Summary>> list() {
        return views.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A rollout with its steps, guardrails, audit and latest evidence")
    public Uni<RolloutViews.Detail> get(@PathParam("id") String id, @Context UriInfo uri) {
        return views.detail(id, uri.getBaseUri().toString());
    }

    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<RolloutViews.Detail> pause(@PathParam("id") String id, Reason body, @Context UriInfo uri) {
        String reason = reason(body);
        return rollouts.pause(id, actor.subject(), reason).flatMap(x -> views.detail(id, uri.getBaseUri().toString()));
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<RolloutViews.Detail> resume(@PathParam("id") String id, Reason body, @Context UriInfo uri) {
        String reason = reason(body);
        return rollouts.resume(id, actor.subject(), reason).flatMap(x -> views.detail(id, uri.getBaseUri().toString()));
    }

    @POST
    @Path("/{id}/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<RolloutViews.Detail> promote(@PathParam("id") String id, Reason body, @Context UriInfo uri) {
        String reason = reason(body);
        return rollouts.promote(id, actor.subject(), reason)
                .flatMap(x -> views.detail(id, uri.getBaseUri().toString()));
    }

    @POST
    @Path("/{id}/abort")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Stop the rollout and restore the line-up it found (ROLLING_BACK until applied, then ABORTED)")
    public Uni<RolloutViews.Detail> abort(@PathParam("id") String id, Reason body, @Context UriInfo uri) {
        String reason = reason(body);
        return rollouts.abort(id, actor.subject(), reason).flatMap(x -> views.detail(id, uri.getBaseUri().toString()));
    }

    @POST
    @Path("/{id}/sign-offs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Sign off the current step for a role the plan names; recorded with the token's subject")
    public Uni<Response> signOff(@PathParam("id") String id, SignOffRequest body, @Context UriInfo uri) {
        if (body == null || body.role() == null || body.role().isBlank()) {
            throw new PlanValidationException("role", "the role being signed for is required");
        }
        return rollouts.signOff(id, body.role(), actor.subject(), body.reason())
                .flatMap(x -> views.detail(id, uri.getBaseUri().toString()))
                .map(d -> Response.status(Response.Status.CREATED).entity(d).build());
    }

    @PUT
    @Path("/{id}/guardrails/{name}/capacity")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Change a REVIEW_QUEUE_LOAD or STEP_UP_BUDGET guardrail's capacity (events per period; "
            + "period hour, day, week or e.g. 30m, kept when absent): audited with before and after, judged from the "
            + "next minute the topology evaluates")
    public Uni<RolloutViews.Detail> capacity(@PathParam("id") String id, @PathParam("name") String name,
            CapacityChange body, @Context UriInfo uri) {
        if (body == null || body.capacity() == null) {
            throw new PlanValidationException("capacity", "required: events per period, a number > 0");
        }
        double capacity = body.capacity();
        if (!(capacity > 0) || Double.isInfinite(capacity)) {
            throw new PlanValidationException("capacity", "must be a number > 0 (events per period), got "
                    + body.capacity());
        }
        Duration period = body.period() == null ? null : PlanReader.period(TextNode.valueOf(body.period()), "period");
        String reason = reason(new Reason(body.reason()));
        String subject = actor.subject();
        return Uni.createFrom().deferred(() -> rollouts.changeCapacity(id, name, capacity, period, subject, reason))
                .flatMap(x -> views.detail(id, uri.getBaseUri().toString()));
    }

    @GET
    @Path("/{id}/verdicts")
    @Operation(summary = "The verdicts received for the rollout, oldest first (the newest `limit`)")
    public Uni<List<RolloutViews.Verdict>> verdicts(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("500") int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new PlanValidationException("limit", "must be within 1..10000");
        }
        return views.verdicts(id, limit);
    }

    @GET
    @Path("/{id}/guardrails/{name}/chart.svg")
    @Produces("image/svg+xml")
    @Operation(summary = "A guardrail's estimate and harm bounds over event time, margin and verdicts marked (SVG)")
    public Uni<Response> chart(@PathParam("id") String id, @PathParam("name") String name) {
        return views.chart(id, name).map(svg -> svg == null
                ? Problem.response(Response.Status.NOT_FOUND, "rollout " + id + " has no guardrail '" + name + "'",
                        "name")
                : Response.ok(svg, "image/svg+xml").build());
    }

    private static String reason(Reason body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new PlanValidationException("reason", "say why (it goes to the audit trail)");
        }
        if (body.reason().length() > 1000) {
            throw new PlanValidationException("reason", "at most 1000 characters");
        }
        return body.reason();
    }
}
