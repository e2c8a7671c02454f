package io.vigil.scoring.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
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
import io.vigil.scoring.model.ModelRegistry;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * The model registry over REST: list, register (a file under the model directory, or uploaded bytes), activate as
 * champion, challenger (with its share) or shadow, or retire. A change takes effect on the next call, no restart.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ModelResource {

    public record RegisterModel(String version, String path) {
    }

    public record ActivateModel(ModelRegistry.Role role, Double share, String reason) {
    }

    private final ModelRegistry registry;
    private final AuditActor actor;
    private final ScoringConfig config;

    ModelResource(ModelRegistry registry, AuditActor actor, ScoringConfig config) {
        this.registry = registry;
        this.actor = actor;
        this.config = config;
    }

    @GET
    public Uni<List<ModelRegistry.ModelRecord>> list() {
        return registry.list();
    }

    /** Every line-up change: who, when, why, the role given and the line-up before and after. */
    @GET
    @Path("/audit")
    public Uni<List<ModelRegistry.AuditEntry>> audit() {
        return registry.audit();
    }

    @GET
    @Path("/{version}")
    public Uni<Response> get(@PathParam("version") String version) {
        return registry.get(version).map(found -> found.map(m -> Response.ok(m).build())
                .orElseGet(() -> notFound(version)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> register(RegisterModel body) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "a JSON body is required", "body"));
        }
        return registry.registerPath(body.version(), body.path(), actor.subject())
                .map(m -> Response.status(Response.Status.CREATED).entity(m).build());
    }

    @POST
    @Path("/{version}/upload")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> upload(@PathParam("version") String version,
            @HeaderParam("Content-Length") Long declaredLength, byte[] model) {
        long limit = config.models().maxUploadBytes();
        if (declaredLength != null && declaredLength > limit || model != null && model.length > limit) {
            return Uni.createFrom().item(Problem.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body: the model is "
                    + (model == null ? declaredLength : model.length) + " bytes, over the limit of " + limit
                    + " bytes (scoring.models.max-upload-bytes)", "body"));
        }
        if (model == null || model.length == 0) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "model bytes are required", "body"));
        }
        return registry.registerBytes(version, model, actor.subject())
                .map(m -> Response.status(Response.Status.CREATED).entity(m).build());
    }

    @POST
    @Path("/{version}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> activate(@PathParam("version") String version, ActivateModel body) {
        if (body == null || body.role() == null) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST,
                    "role: CHAMPION, CHALLENGER, SHADOW or RETIRED is required", "role"));
        }
        if (body.reason() == null || body.reason().isBlank()) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST,
                    "reason: say why (it goes to the audit trail)", "reason"));
        }
        double share = body.share() == null ? 0.0 : body.share();
        return registry.activate(version, body.role(), share, actor.subject(), body.reason())
                .map(found -> found.map(m -> Response.ok(m).build()).orElseGet(() -> notFound(version)));
    }

    private static Response notFound(String version) {
        return Problem.response(Response.Status.NOT_FOUND, "no model version '" + version + "'", "version");
    }
}
