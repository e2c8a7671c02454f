package io.vigil.incident.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.incident.communication.CommunicationClock;

/**
 * Sends queued webhooks: claims due rows ({@code FOR UPDATE SKIP LOCKED}, so replicas split the work and never send
 * one row twice at once), signs each body with its subscriber's secret ({@link WebhookSignature}), POSTs it, and
 * records the outcome: delivered on a 2xx, else retried with exponential backoff, and dead-lettered after the last
 * attempt. Delivery is at least once: receivers de-duplicate on the {@code Vigil-Delivery-Id} header.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private static final String CLAIM = """
            UPDATE webhook_delivery d
            SET next_attempt_at = $2, attempts = d.attempts + 1, last_attempt_at = $1
            FROM webhook_subscriber s
            WHERE s.id = d.subscriber_id
              AND d.id IN (SELECT id FROM webhook_delivery
                           WHERE status = 'PENDING' AND next_attempt_at <= $1
                           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.attempts, d.event_type, d.payload, s.url, s.secret
            """;

    private final Pool pool;
    private final DeliveryConfig config;
    private final CommunicationClock clock;
    private final HttpClient http;

    WebhookDispatcher(Pool pool, DeliveryConfig config, CommunicationClock clock) {
        this.pool = pool;
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The outcome of one dispatch round, for tests and logs. */
    public record Round(int delivered, int retrying, int dead) {
    }

    private record Claimed(UUID id, int attempts, String eventType, String payload, String url, String secret) {
    }

    private enum Outcome {
        DELIVERED, RETRYING, DEAD
    }

    @Scheduled(every = "${vigil.webhooks.dispatch-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "webhook-dispatch")
    Uni<Void> scheduled() {
        return dispatch().onFailure().invoke(e -> LOG.warnf("webhook dispatch round failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Sends every delivery due now (one batch). */
    public Uni<Round> dispatch() {
        Instant now = clock.now();
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(utc(now), utc(now.plus(config.lease())), config.batchSize()))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row r : rows) {
                        claimed.add(new Claimed(r.getUUID("id"), r.getInteger("attempts"), r.getString("event_type"),
                                r.getString("payload"), r.getString("url"), r.getString("secret")));
                    }
                    return claimed;
                })
                .onItem().transformToUni(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(new Round(0, 0, 0));
                    }
                    List<Uni<Outcome>> sends = claimed.stream().map(c -> send(c, now)).toList();
                    return Uni.join().all(sends).andCollectFailures().map(WebhookDispatcher::count);
                });
    }

    private static Round count(List<Outcome> outcomes) {
        int d = 0;
        int r = 0;
        int x = 0;
        for (Outcome o : outcomes) {
            switch (o) {
                case DELIVERED -> d++;
                case RETRYING -> r++;
                case DEAD -> x++;
            }
        }
        return new Round(d, r, x);
    }

    private Uni<Outcome> send(Claimed c, Instant now) {
        byte[] body = c.payload().getBytes(StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(c.url()))
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.HEADER, WebhookSignature.header(c.secret(), now, body))
                    .header("Vigil-Delivery-Id", c.id().toString())
                    .header("Vigil-Event-Type", c.eventType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException badUrl) {
            return failed(c, now, null, "subscriber URL is not usable");
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .onItem().transformToUni(response -> {
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return delivered(c, now, status);
                    }
                    return failed(c, now, status, "HTTP " + status);
                })
                // Only the exception's class: a message could quote the URL, and a URL may embed a token.
                .onFailure().recoverWithUni(e -> failed(c, now, null, e.getClass().getSimpleName()));
    }

    private Uni<Outcome> delivered(Claimed c, Instant now, int status) {
        return pool.preparedQuery("""
                UPDATE webhook_delivery SET status = 'DELIVERED', delivered_at = $2, last_status_code = $3,
                       last_error = NULL
                WHERE id = $1
                """).execute(Tuple.of(c.id(), utc(now), status)).replaceWith(Outcome.DELIVERED);
    }

    private Uni<Outcome> failed(Claimed c, Instant now, Integer status, String error) {
        Optional<Instant> next = config.retryPolicy().nextAttempt(c.attempts(), now);
        if (next.isEmpty()) {
            LOG.warnf("webhook delivery %s dead-lettered after %d attempts (%s)", c.id(), c.attempts(), error);
        }
        return pool.preparedQuery("""
                UPDATE webhook_delivery SET status = $2, next_attempt_at = $3, last_status_code = $4, last_error = $5
                WHERE id = $1
                """).execute(Tuple.tuple().addValue(c.id()).addValue(next.isPresent() ? "PENDING" : "DEAD")
                        .addValue(utc(next.orElse(now))).addValue(status).addValue(error))
                .map(rows -> next.isPresent() ? Outcome.RETRYING : Outcome.DEAD);
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
