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
import io.vigil.scoring.model.ModelRegistry;

/**
 * The model registry over REST: list, register (a file under the model directory, or uploaded bytes), activate as
 * champion, challenger (with its share) or shadow, or retire. A change takes effect on the next call, no restart.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    public record RegisterModel(String version, String path) {
    }

    public record ActivateModel(ModelRegistry.Role role, Double share) {
    }

    private final ModelRegistry registry;

    ModelResource(ModelRegistry registry) {
        this.registry = registry;
    }

    @GET
    public Uni<List<ModelRegistry.ModelRecord>> list() {
        return registry.list();
    }

    @GET
    @Path("/{version}")
    public Uni<Response> get(@PathParam("version") String version) {
        return registry.get(version).map(found -> found.map(m -> Response.ok(m).build())
                .orElseGet(() -> notFound(version)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> register(@HeaderParam(PolicyResource.ACTOR) String actor, RegisterModel body) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "a JSON body is required", "body"));
        }
        return registry.registerPath(body.version(), body.path(), actorOf(actor))
                .map(m -> Response.status(Response.Status.CREATED).entity(m).build());
    }

    @POST
    @Path("/{version}/upload")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> upload(@HeaderParam(PolicyResource.ACTOR) String actor, @PathParam("version") String version,
            byte[] model) {
        if (model == null || model.length == 0) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "model bytes are required", "body"));
        }
        return registry.registerBytes(version, model, actorOf(actor))
                .map(m -> Response.status(Response.Status.CREATED).entity(m).build());
    }

    @POST
    @Path("/{version}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> activate(@PathParam("version") String version, ActivateModel body) {
        if (body == null || body.role() == null) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST,
                    "role: CHAMPION, CHALLENGER, SHADOW or RETIRED is required", "role"));
        }
        double share = body.share() == null ? 0.0 : body.share();
        return registry.activate(version, body.role(), share)
                .map(found -> found.map(m -> Response.ok(m).build()).orElseGet(() -> notFound(version)));
    }

    private static String actorOf(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    private static Response notFound(String version) {
        return Problem.response(Response.Status.NOT_FOUND, "no model version '" + version + "'", "version");
    }
}
