package io.vigil.scoring.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vigil.scoring.policy.CohortRule;
import io.vigil.scoring.policy.PolicyService;
import io.vigil.scoring.policy.ThresholdPolicy;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Threshold policies: create (as DRAFT), list, read, activate; every change audited with its actor (the bearer token's
 * subject) and reason. Reads need {@code viewer}, changes {@code operator}.
 */
@Path("/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PolicyResource {

    public record CreatePolicy(String version, List<CohortRule> rules, String reason) {
    }

    public record Activate(String reason) {
    }

    public record ActivePolicy(String version, List<CohortRule> rules) {
    }

    private final PolicyService policies;
    private final AuditActor actor;

    PolicyResource(PolicyService policies, AuditActor actor) {
        this.policies = policies;
        this.actor = actor;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> create(CreatePolicy body) {
        Response refused = check(body == null ? null : body.reason(), body == null);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return policies.create(body.version(), body.rules(), actor.subject(), body.reason())
                .map(created -> Response.status(Response.Status.CREATED).entity(created).build());
    }

    @GET
    public Uni<List<PolicyService.PolicyRecord>> list() {
        return policies.list();
    }

    @GET
    @Path("/active")
    public ActivePolicy active() {
        ThresholdPolicy p = policies.current();
        return new ActivePolicy(p.version(), p.rules());
    }

    @GET
    @Path("/audit")
    public Uni<List<PolicyService.AuditEntry>> audit() {
        return policies.audit();
    }

    @GET
    @Path("/{version}")
    public Uni<Response> get(@PathParam("version") String version) {
        return policies.get(version).map(found -> found.map(p -> Response.ok(p).build())
                .orElseGet(() -> notFound(version)));
    }

    @POST
    @Path("/{version}/activate")
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> activate(@PathParam("version") String version, Activate body) {
        Response refused = check(body == null ? null : body.reason(), body == null);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return policies.activate(version, actor.subject(), body.reason())
                .map(found -> found.map(p -> Response.ok(p).build()).orElseGet(() -> notFound(version)));
    }

    private static Response check(String reason, boolean noBody) {
        if (noBody) {
            return Problem.response(Response.Status.BAD_REQUEST, "a JSON body is required", "body");
        }
        if (reason == null || reason.isBlank()) {
            return Problem.response(Response.Status.BAD_REQUEST, "reason: say why (it goes to the audit trail)", "reason");
        }
        return null;
    }

    private static Response notFound(String version) {
        return Problem.response(Response.Status.NOT_FOUND, "no policy version '" + version + "'", "version");
    }
}
