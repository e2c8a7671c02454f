package io.vigil.features.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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

import io.smallrye.mutiny.Uni;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.contract.FeatureSet;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Operators: feature contracts, their versions ({@code viewer}), and registering a new version ({@code admin}: a
 * contract binds every producer and model, and a breaking change may be acknowledged only there).
 */
@Path("/contracts")
@Tag(name = "contracts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ContractResource {

    private final FeatureContracts contracts;
    private final AuditActor actor;

    ContractResource(FeatureContracts contracts, AuditActor actor) {
        this.contracts = contracts;
        this.actor = actor;
    }

    @GET
    @Operation(summary = "Feature sets and their versions")
    public Map<String, List<Integer>> list() {
        return contracts.versions();
    }

    @GET
    @Path("{name}/{version}")
    @Operation(summary = "One feature set version, every feature contract in it")
    @APIResponse(responseCode = "404", description = "No such feature set version")
    public Map<String, Object> get(@PathParam("name") String name, @PathParam("version") String version) {
        FeatureSet fs = contracts.resolve(name + "@" + version).orElseThrow(() -> new ProblemException(404,
                "Unknown feature set version", "version", "no feature set " + name + "@" + version));
        return render(fs);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes({ "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    @Operation(summary = "Register a new feature set version",
            description = "Body: the contract file (YAML, or the same structure as JSON). The version must be above "
                    + "the latest; a breaking change against it (removed feature, changed type/unit/range/entity/values/"
                    + "sentinels, new required feature) is refused unless acknowledge_breaking=true.")
    @APIResponse(responseCode = "201", description = "Registered; the changes against the previous version")
    @APIResponse(responseCode = "400", description = "Not a valid contract; problem+json naming the field")
    @APIResponse(responseCode = "409", description = "Version not above the latest, or a breaking change not acknowledged")
    public Uni<Response> register(String body,
            @QueryParam("acknowledge_breaking") @DefaultValue("false") boolean acknowledgeBreaking) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badField("(body)", "a feature set contract is required");
        }
        FeatureSet fs = contracts.parse(body);
        FeatureContracts.Registration check = contracts.check(fs);
        if (check.conflict() != null) {
            throw new ProblemException(409, "Feature set version exists", "version", check.conflict());
        }
        List<String> changes = check.changes().stream().map(Object::toString).toList();
        if (check.breaking() && !acknowledgeBreaking) {
            throw new ProblemException(409, "Breaking feature contract change", "features",
                    fs.id() + " breaks compatibility with the latest version; register it with acknowledge_breaking=true "
                            + "if models pinned to older versions are meant to keep their terms",
                    changes);
        }
        return contracts.register(fs, body, actor.subject())
                .onFailure(e -> e instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState()))
                .transform(e -> new ProblemException(409, "Feature set version exists", "version",
                        fs.id() + " was registered concurrently"))
                .map(registered -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("feature_set_version", registered.id());
                    out.put("changes", changes);
                    return Response.status(201).entity(out).build();
                });
    }

    static Map<String, Object> render(FeatureSet fs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("feature_set", fs.name());
        out.put("version", fs.version());
        out.put("id", fs.id());
        out.put("description", fs.description());
        out.put("owner", fs.owner());
        out.put("features", fs.features().stream().map(ContractResource::render).toList());
        return out;
    }

    static Map<String, Object> render(FeatureContract c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("entity", c.entity().yamlName());
        m.put("type", c.type().yamlName());
        m.put("unit", c.unit());
        if (c.range().bounded()) {
            m.put("range", c.range().toString());
        }
        if (!c.allowedValues().isEmpty()) {
            m.put("values", c.allowedValues());
        }
        m.put("nullable", c.nullable());
        m.put("freshness", c.freshness().toString());
        m.put("owner", c.owner());
        m.put("description", c.description());
        m.put("sentinels", c.sentinels());
        m.put("sources", c.sources());
        return m;
    }
}
