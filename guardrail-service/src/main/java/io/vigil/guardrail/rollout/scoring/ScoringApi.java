package io.vigil.guardrail.rollout.scoring;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** scoring-service's operator REST, as far as rollouts use it. Responses are read raw: 404 and 409 are answers here. */
@RegisterRestClient(configKey = "scoring")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ScoringApi {

    @GET
    @Path("lineup")
    Uni<Lineup> lineup(@HeaderParam("Authorization") String bearer);

    @PUT
    @Path("lineup")
    Uni<Lineup> change(@HeaderParam("Authorization") String bearer, LineupChange change);

    @GET
    @Path("models/{version}")
    Uni<Response> model(@HeaderParam("Authorization") String bearer, @PathParam("version") String version);

    @GET
    @Path("policies/{version}")
    Uni<Response> policy(@HeaderParam("Authorization") String bearer, @PathParam("version") String version);
}
