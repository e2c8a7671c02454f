package io.vigil.incident.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.communication.CommunicationClock;
import io.vigil.incident.config.ReactiveTransactions;

/**
 * Sends queued webhooks: claims due rows ({@code FOR UPDATE SKIP LOCKED}, so replicas split the work and never send
 * one row twice at once), signs each body with its subscriber's secret ({@link WebhookSignature}), POSTs it, and
 * records the outcome: delivered on a 2xx, else retried with exponential backoff, and dead-lettered after the last
 * attempt. Delivery is at least once: receivers de-duplicate on the {@code Vigil-Delivery-Id} header.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /**
     * Due deliveries, locked; rows another replica has locked are skipped rather than waited for. Native SQL through
     * the Hibernate Reactive session (the rows come back as managed entities): reactive Panache queries take no lock
     * timeout hint, and SKIP LOCKED is the point here.
     */
    private static final String CLAIM_DUE = """
            SELECT * FROM webhook_delivery
            WHERE status = 'PENDING' AND next_attempt_at <= :now
            ORDER BY next_attempt_at, id
            LIMIT :batch
            FOR UPDATE SKIP LOCKED
            """;

    private final ReactiveTransactions transactions;
    private final DeliveryConfig config;
    private final CommunicationClock clock;
    private final HttpClient http;

    WebhookDispatcher(ReactiveTransactions transactions, DeliveryConfig config, CommunicationClock clock) {
        this.transactions = transactions;
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
        return claim(now).chain(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(new Round(0, 0, 0));
            }
            List<Uni<Outcome>> sends = claimed.stream().map(c -> send(c, now)).toList();
            return Uni.join().all(sends).andCollectFailures().map(WebhookDispatcher::count);
        });
    }

    /**
     * Claims up to a batch of due deliveries in a transaction of its own: their rows locked with SKIP LOCKED (another
     * replica's claim passes over them instead of waiting), counted as an attempt and moved a lease ahead, so once
     * this commits no other replica takes them while they are being sent.
     */
    private Uni<List<Claimed>> claim(Instant now) {
        return transactions.inTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM_DUE, WebhookDelivery.class)
                        .setParameter("now", now).setParameter("batch", config.batchSize()).getResultList())
                .chain(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(List.<Claimed>of());
                    }
                    Set<UUID> subscriberIds = due.stream().map(d -> d.subscriberId).collect(Collectors.toSet());
                    return WebhookSubscriber.<WebhookSubscriber>list("id in ?1", subscriberIds).map(subscribers -> {
                        Map<UUID, WebhookSubscriber> byId = subscribers.stream()
                                .collect(Collectors.toMap(s -> s.id, s -> s));
                        List<Claimed> claimed = new ArrayList<>();
                        for (WebhookDelivery d : due) {
                            d.attempts++;
                            d.lastAttemptAt = now;
                            d.nextAttemptAt = now.plus(config.lease());
                            WebhookSubscriber s = byId.get(d.subscriberId);
                            claimed.add(new Claimed(d.id, d.attempts, d.eventType, d.payload, s.url, s.secret));
                        }
                        return claimed;
                    });
                }));
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
        return record(c, d -> {
            d.status = WebhookDelivery.DELIVERED;
            d.deliveredAt = now;
            d.lastStatusCode = status;
            d.lastError = null;
        }).replaceWith(Outcome.DELIVERED);
    }

    private Uni<Outcome> failed(Claimed c, Instant now, Integer status, String error) {
        Optional<Instant> next = config.retryPolicy().nextAttempt(c.attempts(), now);
        if (next.isEmpty()) {
            LOG.warnf("webhook delivery %s dead-lettered after %d attempts (%s)", c.id(), c.attempts(), error);
        }
        return record(c, d -> {
            d.status = next.isPresent() ? WebhookDelivery.PENDING : WebhookDelivery.DEAD;
            d.nextAttemptAt = next.orElse(now);
            d.lastStatusCode = status;
            d.lastError = error;
        }).map(x -> next.isPresent() ? Outcome.RETRYING : Outcome.DEAD);
    }

    /** An attempt's outcome, in a transaction of its own (the row is this dispatcher's until its lease ends). */
    private Uni<Void> record(Claimed c, Consumer<WebhookDelivery> outcome) {
        return transactions.inTransaction(() -> WebhookDelivery.<WebhookDelivery>findById(c.id())
                .invoke(d -> {
                    if (d != null) {
                        outcome.accept(d);
                    }
                }).replaceWithVoid());
    }
}
