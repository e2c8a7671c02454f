package io.vigil.incident.delivery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Queues webhooks in {@code webhook_delivery}, inside the caller's transaction: a reminder or an update and the
 * webhooks announcing it commit together or not at all. {@link WebhookDispatcher} sends them.
 */
@ApplicationScoped
public class WebhookOutbox {

    private static final String INSERT = """
            INSERT INTO webhook_delivery (id, subscriber_id, event_type, incident_id, payload, status, attempts,
                                          next_attempt_at, created_at)
            SELECT gen_random_uuid(), s.id, $1, $2, $3, 'PENDING', 0, $4, $4
            FROM webhook_subscriber s
            WHERE s.active AND %s
            """;

    private final ObjectMapper json;

    WebhookOutbox(ObjectMapper json) {
        this.json = json;
    }

    /** Queues the message for every active subscriber of the audience ({@code executives}, ...). */
    public Uni<Integer> toAudience(SqlClient tx, String audienceKey, String eventType, UUID incidentId,
            SlackMessage message, Instant now) {
        return tx.preparedQuery(INSERT.formatted("$5 = ANY (string_to_array(s.audiences, ','))"))
                .execute(Tuple.of(eventType, incidentId, serialize(message), now.atOffset(ZoneOffset.UTC), audienceKey))
                .map(rows -> rows.rowCount());
    }

    /** Queues the message for the comms role: every active subscriber that receives overdue reminders. */
    public Uni<Integer> toCommsRole(SqlClient tx, String eventType, UUID incidentId, SlackMessage message, Instant now) {
        return tx.preparedQuery(INSERT.formatted("s.receives_reminders"))
                .execute(Tuple.of(eventType, incidentId, serialize(message), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }

    private String serialize(SlackMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload does not serialize", e);
        }
    }
}
