package io.vigil.features.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vigil.features.ingest.QuarantineService;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Operators: quarantined values ({@code operator}: they hold producers' raw payloads), their replay after a fix
 * ({@code operator}, recorded with the token's subject), and upstream schema drift ({@code viewer}).
 */
@Path("/")
@Tag(name = "quarantine")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class QuarantineResource {

    private final QuarantineService quarantine;
    private final ObjectMapper json;
    private final AuditActor actor;

    QuarantineResource(QuarantineService quarantine, ObjectMapper json, AuditActor actor) {
        this.quarantine = quarantine;
        this.json = json;
        this.actor = actor;
    }

    @GET
    @Path("quarantine")
    @Operation(summary = "List quarantined (REJECTed) values with reason and raw payload")
    @APIResponse(responseCode = "400", description = "limit out of 1..1000")
    public Uni<List<QuarantineService.Quarantined>> list(@QueryParam("feature") String feature,
            @QueryParam("producer") String producer, @QueryParam("include_replayed") @DefaultValue("false") boolean all,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badField("limit", "must be within 1..1000, got " + limit);
        }
        return quarantine.list(blankToNull(feature), blankToNull(producer), all, limit);
    }

    @POST
    @Path("quarantine/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay quarantined values after a fix",
            description = "Body: {ids: [..]} for given records, or {feature: name} for all open records of a feature, "
                    + "or {} for all open records. Each is judged again by the current ingest feature set.")
    @APIResponse(responseCode = "400", description = "Malformed body; problem+json naming the field")
    public Uni<Map<String, Object>> replay(String body) {
        JsonNode tree;
        try {
            tree = json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badField("(body)", "not valid JSON: " + e.getOriginalMessage());
        }
        if (!tree.isObject()) {
            throw ProblemException.badField("(body)", "expected an object");
        }
        List<Long> ids = new ArrayList<>();
        JsonNode idNode = tree.get("ids");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isArray()) {
                throw ProblemException.badField("ids", "must be an array of record ids");
            }
            for (int i = 0; i < idNode.size(); i++) {
                if (!idNode.get(i).isIntegralNumber()) {
                    throw ProblemException.badField("ids[" + i + "]", "must be an integer record id");
                }
                ids.add(idNode.get(i).asLong());
            }
        }
        JsonNode f = tree.get("feature");
        if (f != null && !f.isNull() && !f.isTextual()) {
            throw ProblemException.badField("feature", "must be a string");
        }
        String feature = f == null || f.isNull() ? null : blankToNull(f.asText());
        return quarantine.replay(ids, feature, actor.subject()).map(results -> Map.of(
                "replayed", results.size(),
                "stored", results.stream().filter(r -> !"REJECT".equals(r.outcome())).count(),
                "still_rejected", results.stream().filter(r -> "REJECT".equals(r.outcome())).count(),
                "results", results));
    }

    @GET
    @Path("drift")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Upstream schema drift: unknown fields, missing fields, type changes, by producer")
    public Uni<List<Map<String, Object>>> drift(@QueryParam("producer") String producer) {
        return quarantine.drift(blankToNull(producer));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
