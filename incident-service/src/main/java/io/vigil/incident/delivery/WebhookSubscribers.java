package io.vigil.incident.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vigil.incident.communication.Audience;
import io.vigil.incident.communication.CommsProblem;

/** Webhook receivers: registered by an admin with their own secret, listed without it. */
@ApplicationScoped
public class WebhookSubscribers {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A subscriber as created: the one time its secret is shown. */
    public record Created(WebhookSubscriberView subscriber, String secret) {
    }

    public record NewSubscriber(String name, String url, List<String> audiences, boolean receivesReminders,
            String secret) {
    }

    /** Registers the subscriber; call from a request (a Vert.x context), it opens its own transaction. */
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
        WebhookSubscriber created = new WebhookSubscriber();
        created.id = UUID.randomUUID();
        created.name = s.name();
        created.url = s.url();
        created.secret = secret;
        created.audiences = new ArrayList<>(audiences.stream().distinct().toList());
        created.receivesReminders = s.receivesReminders();
        created.active = true;
        created.createdBy = actor;
        created.createdAt = now;
        return Panache.withTransaction(() -> WebhookSubscriber.count("name", s.name()).chain(n -> {
            if (n > 0) {
                return Uni.createFrom().failure(duplicate(s.name()));
            }
            return created.persistAndFlush();
        }))
                // two admins registering one name at once: the unique index refuses the second
                .onFailure(WebhookSubscribers::uniqueViolation).transform(e -> duplicate(s.name()))
                .replaceWith(() -> new Created(WebhookSubscriberView.of(created), secret));
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static CommsProblem duplicate(String name) {
        return CommsProblem.conflict("name", "a subscriber named '" + name + "' exists");
    }

    public Uni<List<WebhookSubscriberView>> list() {
        return Panache.withSession(() -> WebhookSubscriber.<WebhookSubscriber>listAll(Sort.by("name")))
                .map(list -> list.stream().map(WebhookSubscriberView::of).toList());
    }

    /** The delivery log, newest first; {@code status} and {@code subscriber} (a name) null for any. */
    public Uni<List<WebhookDeliveryView>> deliveries(String status, String subscriber, int limit) {
        return Panache.withSession(() -> WebhookSubscriber.<WebhookSubscriber>listAll().chain(subscribers -> {
            Map<UUID, String> names = new HashMap<>();
            subscribers.forEach(s -> names.put(s.id, s.name));
            StringBuilder where = new StringBuilder("1 = 1");
            Parameters params = new Parameters();
            if (status != null) {
                where.append(" and status = :status");
                params.and("status", status);
            }
            if (subscriber != null) {
                Optional<UUID> id = subscribers.stream().filter(s -> s.name.equals(subscriber)).map(s -> s.id)
                        .findFirst();
                if (id.isEmpty()) {
                    return Uni.createFrom().item(List.<WebhookDeliveryView>of());
                }
                where.append(" and subscriberId = :subscriber");
                params.and("subscriber", id.get());
            }
            return WebhookDelivery.<WebhookDelivery>find(where.toString(), Sort.descending("createdAt").and("id"),
                    params).page(Page.ofSize(limit)).list()
                    .map(list -> list.stream().map(d -> WebhookDeliveryView.of(d, names.get(d.subscriberId)))
                            .toList());
        }));
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
