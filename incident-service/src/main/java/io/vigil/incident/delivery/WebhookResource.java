package io.vigil.incident.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vigil.incident.communication.CommsProblem;
import io.vigil.incident.communication.CommunicationClock;
import io.vigil.incident.communication.JsonBodies;
import io.vigil.service.security.AuditActor;
import io.vigil.service.security.Roles;

/**
 * Webhook subscribers (created by an admin: a subscriber receives incident details) and the delivery log (operator).
 */
@Path("/webhooks")
@Tag(name = "webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private static final Set<String> SUBSCRIBER_FIELDS = Set.of("name", "url", "audiences", "receives_reminders",
            "secret");
    private static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "DEAD");

    private final WebhookSubscribers subscribers;
    private final ObjectMapper json;
    private final AuditActor actor;
    private final CommunicationClock clock;

    WebhookResource(WebhookSubscribers subscribers, ObjectMapper json, AuditActor actor, CommunicationClock clock) {
        this.subscribers = subscribers;
        this.json = json;
        this.actor = actor;
        this.clock = clock;
    }

    public record CreatedSubscriber(WebhookSubscriberView subscriber, String secret) {
    }

    @POST
    @Path("subscribers")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Register a webhook subscriber",
            description = "Body: name, url (http/https), audiences (executives, finance, partner-teams, support, "
                    + "merchants, public-status-page), receives_reminders (the comms role's channel for overdue "
                    + "updates), secret (optional, >= 32 characters; generated when absent). The secret is returned "
                    + "once, here, and never again.")
    @APIResponse(responseCode = "201", description = "Created; the body holds the secret")
    @APIResponse(responseCode = "400", description = "problem+json naming the field")
    @APIResponse(responseCode = "409", description = "a subscriber of that name exists")
    public Uni<Response> create(String body) {
        JsonNode tree = JsonBodies.object(json, body, SUBSCRIBER_FIELDS);
        String name = JsonBodies.text(tree, "name", true, 100);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9 ._-]*")) {
            throw CommsProblem.badField("name", "letters, digits, space, '.', '_' and '-' only");
        }
        String url = JsonBodies.text(tree, "url", true, 2000);
        List<String> audiences = new ArrayList<>();
        JsonNode a = tree.get("audiences");
        if (a != null && !a.isNull()) {
            if (!a.isArray()) {
                throw CommsProblem.badField("audiences", "must be an array of audience names");
            }
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) {
                    throw CommsProblem.badField("audiences[" + i + "]", "must be a string");
                }
                audiences.add(a.get(i).textValue());
            }
        }
        Boolean reminders = JsonBodies.bool(tree, "receives_reminders");
        String secret = JsonBodies.text(tree, "secret", false, 512);
        String who = actor.subject();
        return subscribers.create(new WebhookSubscribers.NewSubscriber(name, url, audiences,
                reminders != null && reminders, secret), who, clock.now())
                .map(c -> Response.status(201).entity(new CreatedSubscriber(c.subscriber(), c.secret())).build());
    }

    @GET
    @Path("subscribers")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "List webhook subscribers (never their secrets)")
    public Uni<List<WebhookSubscriberView>> list() {
        return subscribers.list();
    }

    @GET
    @Path("deliveries")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "The delivery log: newest first, with attempts, last status and error; DEAD = dead letters")
    @APIResponse(responseCode = "400", description = "status not PENDING/DELIVERED/DEAD, or limit out of 1..1000")
    public Uni<List<WebhookDeliveryView>> deliveries(@QueryParam("status") String status,
            @QueryParam("subscriber") String subscriber, @QueryParam("limit") @DefaultValue("100") String limitParam) {
        int limit = JsonBodies.limit(limitParam);
        if (status != null && !STATUSES.contains(status)) {
            throw CommsProblem.badField("status", "one of " + STATUSES);
        }
        return subscribers.deliveries(status, subscriber, limit);
    }
}
