package io.vigil.incident.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.incident.communication.Audience;
import io.vigil.incident.communication.CommsProblem;

/** Webhook receivers: registered by an admin with their own secret, listed without it. */
@ApplicationScoped
public class WebhookSubscribers {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;

    WebhookSubscribers(Pool pool) {
        this.pool = pool;
    }

    /** A subscriber as created: the one time its secret is shown. */
    public record Created(WebhookSubscriber subscriber, String secret) {
    }

    public record NewSubscriber(String name, String url, List<String> audiences, boolean receivesReminders,
            String secret) {
    }

    public Uni<Created> create(NewSubscriber s, String actor, Instant now) {
        validateUrl(s.url());
        List<String> audiences = new ArrayList<>();
        for (String a : s.audiences()) {
            audiences.add(Audience.parse(a).orElseThrow(() -> CommsProblem.badField("audiences",
                    "unknown audience '" + truncate(a) + "'; one of " + Arrays.stream(Audience.values())
                            .map(Audience::key).toList())).key());
        }
        String secret = s.secret() != null ? s.secret() : generateSecret();
        if (secret.length() < 32) {
            throw CommsProblem.badField("secret", "must be at least 32 characters");
        }
        UUID id = UUID.randomUUID();
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("""
                INSERT INTO webhook_subscriber (id, name, url, secret, audiences, receives_reminders, active,
                                                created_by, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8)
                ON CONFLICT (name) DO NOTHING
                """).execute(Tuple.tuple().addValue(id).addValue(s.name()).addValue(s.url()).addValue(secret)
                .addValue(String.join(",", audiences)).addValue(s.receivesReminders()).addValue(actor).addValue(at))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw CommsProblem.conflict("name", "a subscriber named '" + s.name() + "' exists");
                    }
                    return new Created(new WebhookSubscriber(id, s.name(), s.url(), List.copyOf(audiences),
                            s.receivesReminders(), true, actor, now), secret);
                });
    }

    public Uni<List<WebhookSubscriber>> list() {
        return pool.query("""
                SELECT id, name, url, audiences, receives_reminders, active, created_by, created_at
                FROM webhook_subscriber ORDER BY name
                """).execute().map(rows -> {
            List<WebhookSubscriber> out = new ArrayList<>();
            for (Row r : rows) {
                String a = r.getString("audiences");
                out.add(new WebhookSubscriber(r.getUUID("id"), r.getString("name"), r.getString("url"),
                        a.isEmpty() ? List.of() : List.of(a.split(",")), r.getBoolean("receives_reminders"),
                        r.getBoolean("active"), r.getString("created_by"),
                        r.getOffsetDateTime("created_at").toInstant()));
            }
            return out;
        });
    }

    public Uni<List<WebhookDelivery>> deliveries(String status, String subscriber, int limit) {
        return pool.preparedQuery("""
                SELECT d.id, d.subscriber_id, s.name, d.event_type, d.incident_id, d.status, d.attempts,
                       d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error, d.created_at,
                       d.delivered_at, d.payload
                FROM webhook_delivery d JOIN webhook_subscriber s ON s.id = d.subscriber_id
                WHERE ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR s.name = $2)
                ORDER BY d.created_at DESC, d.id LIMIT $3
                """).execute(Tuple.tuple().addValue(status).addValue(subscriber).addValue(limit)).map(rows -> {
            List<WebhookDelivery> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new WebhookDelivery(r.getUUID("id"), r.getUUID("subscriber_id"), r.getString("name"),
                        r.getString("event_type"), r.getUUID("incident_id"), r.getString("status"),
                        r.getInteger("attempts"), instant(r, "next_attempt_at"), instant(r, "last_attempt_at"),
                        r.getInteger("last_status_code"), r.getString("last_error"), instant(r, "created_at"),
                        instant(r, "delivered_at"), r.getString("payload")));
            }
            return out;
        });
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static void validateUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CommsProblem.badField("url", "not a valid URI");
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw CommsProblem.badField("url", "must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null) {
            throw CommsProblem.badField("url", "must not carry credentials; the signature authenticates Vigil");
        }
    }

    private static String generateSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + HexFormat.of().formatHex(b);
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
