package io.vigil.scoring.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vigil.scoring.lineup.Lineup;
import io.vigil.scoring.lineup.LineupChange;
import io.vigil.scoring.lineup.LineupService;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * The whole line-up at once (champion, challenger and share, shadows, active policy): what guardrail-service's
 * rollouts apply and restore, atomically, with compare-and-set on the revision.
 */
@Path("/lineup")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class LineupResource {

    private final LineupService lineups;
    private final AuditActor actor;

    LineupResource(LineupService lineups, AuditActor actor) {
        this.lineups = lineups;
        this.actor = actor;
    }

    @GET
    @Operation(summary = "The line-up and active policy as recorded, with its revision")
    public Uni<Lineup> current() {
        return lineups.current();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Serve this line-up and policy (atomic, idempotent; expected_revision for compare-and-set)")
    public Uni<Response> change(LineupChange body) {
        if (body == null) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "a JSON body is required",
                    "body"));
        }
        String subject = actor.subject();
        return Uni.createFrom().deferred(() -> lineups.change(body, subject)).map(l -> Response.ok(l).build());
    }
}
