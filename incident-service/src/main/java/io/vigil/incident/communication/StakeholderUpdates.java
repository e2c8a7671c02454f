package io.vigil.incident.communication;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.delivery.SlackMessage;
import io.vigil.incident.delivery.WebhookOutbox;
import io.vigil.incident.incident.AuditTrail;

/**
 * Posting an update: recorded with the token's subject and the figures it was written against, the audience's clock
 * reset to now + cadence, the update queued for the audience's webhook subscribers, and the post in the incident's
 * audit trail, all in one transaction.
 * External audiences (merchants, the public page) get the text scrubbed by {@link PublicRedactor}.
 */
@ApplicationScoped
public class StakeholderUpdates {

    public static final String WEBHOOK_EVENT = "stakeholder_update";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final IncidentReader incidents;
    private final UpdateClocks clocks;
    private final WebhookOutbox outbox;
    private final ObjectMapper json;
    private final AuditTrail audit;

    StakeholderUpdates(IncidentReader incidents, UpdateClocks clocks, WebhookOutbox outbox, ObjectMapper json,
            AuditTrail audit) {
        this.audit = audit;
        this.incidents = incidents;
        this.clocks = clocks;
        this.outbox = outbox;
        this.json = json;
    }

    public record NewUpdate(Audience audience, String kind, String body, String nextDecision, Instant nextDecisionAt) {
    }

    /** Records the update; call from a request (a Vert.x context), it opens its own transaction. */
    public Uni<StakeholderUpdateView> post(UUID incidentId, NewUpdate update, String actor, Instant now) {
        return Panache.withTransaction(() -> clocks.lock().chain(() -> incidents.load(incidentId)).chain(found -> {
            IncidentFacts incident = found.orElseThrow(
                    () -> CommsProblem.notFound("id", "no incident " + incidentId));
            String body = update.body() != null && !update.body().isBlank() ? update.body()
                    : "No change since the last update.";
            Optional<UpdateClockPlanner.PlannedClock> next = clocks.planner().plan(incident, update.audience(), now);
            return clocks.find(incidentId, update.audience()).chain(clock -> {
                StakeholderUpdate posted = new StakeholderUpdate();
                posted.id = UUID.randomUUID();
                posted.incidentId = incidentId;
                posted.audience = update.audience().key();
                posted.kind = update.kind();
                posted.body = update.audience().external() ? PublicRedactor.scrub(body) : body;
                posted.figuresJson = figures(ImpactFigures.of(incident));
                posted.nextDecision = update.nextDecision();
                posted.nextDecisionAt = update.nextDecisionAt();
                posted.wasDueAt = clock == null ? null : clock.dueAt;
                posted.nextDueAt = next.map(UpdateClockPlanner.PlannedClock::dueAt).orElse(null);
                posted.postedBy = actor;
                posted.postedAt = now;
                return posted.persist()
                        .chain(() -> next.map(p -> clocks.set(clock, incidentId, p, now))
                                .orElseGet(() -> clock == null ? Uni.createFrom().voidItem() : clock.delete()))
                        .chain(() -> outbox.toAudience(update.audience().key(), WEBHOOK_EVENT, incidentId,
                                message(incident, posted), now))
                        .chain(() -> audit.record(incidentId, actor, "stakeholder-update",
                                posted.audience + ": " + posted.kind))
                        .replaceWith(StakeholderUpdateView.of(posted));
            });
        }));
    }

    private String figures(ImpactFigures figures) {
        try {
            return json.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The incident's updates, oldest first; {@code audience} null for all. */
    public Uni<List<StakeholderUpdateView>> list(UUID incidentId, Audience audience) {
        Sort order = Sort.by("postedAt").and("id");
        return Panache.withSession(() -> audience == null
                ? StakeholderUpdate.<StakeholderUpdate>list("incidentId", order, incidentId)
                : StakeholderUpdate.<StakeholderUpdate>list("incidentId = ?1 and audience = ?2", order, incidentId,
                        audience.key()))
                .map(list -> list.stream().map(StakeholderUpdateView::of).toList());
    }

    /** The figures the audience's last update was written against, and when it was posted. */
    public record LastUpdate(Instant postedAt, ImpactFigures figures) {
    }

    public Uni<Optional<LastUpdate>> last(UUID incidentId, Audience audience) {
        return Panache.withSession(() -> StakeholderUpdate.<StakeholderUpdate>find(
                "incidentId = ?1 and audience = ?2", Sort.descending("postedAt", "id"), incidentId, audience.key())
                .page(Page.ofSize(1)).firstResult())
                .map(u -> {
                    if (u == null) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(new LastUpdate(u.postedAt,
                                u.figuresJson == null ? null : json.readValue(u.figuresJson, ImpactFigures.class)));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("stored figures unreadable", e);
                    }
                });
    }

    /** The latest next decision point any update named: (decision, when). */
    public Uni<Optional<Map.Entry<String, Instant>>> nextDecision(UUID incidentId) {
        return Panache.withSession(() -> StakeholderUpdate.<StakeholderUpdate>find(
                "incidentId = ?1 and nextDecision is not null", Sort.descending("postedAt"), incidentId)
                .page(Page.ofSize(1)).firstResult())
                .map(u -> u == null ? Optional.empty()
                        : Optional.of(Map.entry(u.nextDecision,
                                u.nextDecisionAt == null ? Instant.EPOCH : u.nextDecisionAt)));
    }

    private static SlackMessage message(IncidentFacts incident, StakeholderUpdate u) {
        Audience audience = Audience.parse(u.audience).orElseThrow();
        String next = u.nextDueAt == null ? "" : "\nNext update by *" + HHMM.format(u.nextDueAt) + "*.";
        if (audience.external()) {
            PublicIncidentView view = PublicIncidentView.of(incident, List.of());
            return SlackMessage.of(view.headline(), List.of(u.body + next), Map.of(
                    "event", WEBHOOK_EVENT, "reference", view.reference(), "audience", u.audience,
                    "kind", u.kind, "posted_at", u.postedAt.toString()));
        }
        return SlackMessage.of("[" + incident.severity() + "] " + incident.title(),
                List.of(noChangeLabel(u) + u.body + next), Map.of(
                        "event", WEBHOOK_EVENT, "incident_id", incident.id().toString(), "audience", u.audience,
                        "kind", u.kind, "severity", incident.severity(), "posted_at", u.postedAt.toString()));
    }

    private static String noChangeLabel(StakeholderUpdate u) {
        return StakeholderUpdate.NO_CHANGE.equals(u.kind) ? "*No change.* " : "";
    }
}
