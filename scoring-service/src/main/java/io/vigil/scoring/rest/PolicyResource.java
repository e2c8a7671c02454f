package io.vigil.scoring.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.policy.CohortRule;
import io.vigil.scoring.policy.PolicyService;
import io.vigil.scoring.policy.ThresholdPolicy;

/** Threshold policies: create (as DRAFT), list, read, activate; every change audited with its actor and reason. */
@Path("/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    public static final String ACTOR = "X-Vigil-Actor";

    public record CreatePolicy(String version, List<CohortRule> rules, String reason) {
    }

    public record Activate(String reason) {
    }

    public record ActivePolicy(String version, List<CohortRule> rules) {
    }

    private final PolicyService policies;
    private final ScoringConfig config;

    PolicyResource(PolicyService policies, ScoringConfig config) {
        this.policies = policies;
        this.config = config;
    }

    @POST
    public Uni<Response> create(@HeaderParam(ACTOR) String actor, CreatePolicy body) {
        Response refused = check(actor, body == null ? null : body.reason(), body == null);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return policies.create(body.version(), body.rules(), actorOf(actor), body.reason())
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
    public Uni<Response> activate(@HeaderParam(ACTOR) String actor, @PathParam("version") String version,
            Activate body) {
        Response refused = check(actor, body == null ? null : body.reason(), body == null);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return policies.activate(version, actorOf(actor), body.reason())
                .map(found -> found.map(p -> Response.ok(p).build()).orElseGet(() -> notFound(version)));
    }

    private Response check(String actor, String reason, boolean noBody) {
        if (noBody) {
            return Problem.response(Response.Status.BAD_REQUEST, "a JSON body is required", "body");
        }
        if ((actor == null || actor.isBlank()) && config.policies().defaultActor().isEmpty()) {
            return Problem.response(Response.Status.BAD_REQUEST, "header " + ACTOR + " must name who makes the change",
                    ACTOR);
        }
        if (reason == null || reason.isBlank()) {
            return Problem.response(Response.Status.BAD_REQUEST, "reason: say why (it goes to the audit trail)", "reason");
        }
        return null;
    }

    private String actorOf(String actor) {
        return actor == null || actor.isBlank() ? config.policies().defaultActor().orElseThrow() : actor;
    }

    private static Response notFound(String version) {
        return Problem.response(Response.Status.NOT_FOUND, "no policy version '" + version + "'", "version");
    }
}
