package io.vigil.incident.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.postmortem.ActionItems;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/** Action items across incidents: the overdue list, and marking an item done. */
@Path("/action-items")
public class ActionItemResource {

    private final ActionItems items;
    private final AuditActor actor;

    ActionItemResource(ActionItems items, AuditActor actor) {
        this.items = items;
        this.actor = actor;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @WithSession
    public Uni<List<Views.ActionItemView>> allActionItems(@QueryParam("overdue") Boolean overdue) {
        return items.all(Boolean.TRUE.equals(overdue))
                .map(l -> l.stream().map(a -> Views.ActionItemView.of(a, items.today())).toList());
    }

    @POST
    @Path("/{id}/done")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @WithTransaction
    public Uni<Views.ActionItemView> done(@PathParam("id") String id) {
        UUID uuid = Requests.id(id, "id");
        return items.done(uuid, actor.subject()).map(a -> Views.ActionItemView.of(a, items.today()));
    }
}
