package io.vigil.incident.communication;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.StakeholderUpdateOverdue;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.config.ReactiveTransactions;
import io.vigil.incident.delivery.SlackMessage;
import io.vigil.incident.delivery.WebhookOutbox;
import io.vigil.incident.outbox.EventOutbox;
import io.vigil.incident.outbox.OutboxRelay;

/**
 * The cadence tick: arms the clocks, then claims every update that is overdue and reminds the comms role, by a
 * webhook and a {@code StakeholderUpdateOverdue} event on {@code vigil.incident-updates.v1}, both queued in the same
 * transaction as the claim (the webhook outbox and the event outbox), so a reminder is raised exactly when its claim
 * commits and neither can be lost to a crash after it. Replicas may tick at once: each missed due time is claimed by
 * exactly one of them.
 */
@ApplicationScoped
public class OverdueReminders {

    private static final Logger LOG = Logger.getLogger(OverdueReminders.class);
    public static final String WEBHOOK_EVENT = "stakeholder_update_overdue";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ReactiveTransactions transactions;
    private final UpdateClocks clocks;
    private final WebhookOutbox webhooks;
    private final EventOutbox events;
    private final OutboxRelay relay;
    private final CommunicationClock clock;

    OverdueReminders(ReactiveTransactions transactions, UpdateClocks clocks, WebhookOutbox webhooks,
            EventOutbox events, OutboxRelay relay, CommunicationClock clock) {
        this.transactions = transactions;
        this.clocks = clocks;
        this.webhooks = webhooks;
        this.events = events;
        this.relay = relay;
        this.clock = clock;
    }

    @Scheduled(every = "${vigil.communications.tick-every:30s}", identity = "stakeholder-update-cadence",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return tick().onFailure().invoke(e -> LOG.warnf("cadence tick failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One tick at the clock's now, in a transaction of its own: the reminders this replica raised. Once it commits,
     * a relay pass is started for the new events without waiting for it (the scheduled relay is the safety net, so
     * a slow broker never holds up the cadence).
     */
    public Uni<List<UpdateClocks.Overdue>> tick() {
        Instant now = clock.now();
        return transactions.inTransaction(() -> clocks.arm()
                .chain(() -> clocks.claimOverdue(now))
                .call(overdue -> Multi.createFrom().iterable(overdue)
                        .onItem().transformToUniAndConcatenate(o -> webhooks.toCommsRole(WEBHOOK_EVENT,
                                o.incidentId(), reminder(o), now)
                                .chain(() -> enqueueEvent(o, now)))
                        .collect().last()))
                .invoke(overdue -> {
                    if (!overdue.isEmpty()) {
                        relay.relay().subscribe().with(pass -> { },
                                e -> LOG.warnf("relaying reminders after the tick failed (the scheduled relay "
                                        + "retries): %s", e.toString()));
                    }
                });
    }

    private Uni<Void> enqueueEvent(UpdateClocks.Overdue o, Instant now) {
        UUID eventId = UUID.randomUUID();
        StakeholderUpdateOverdue.Builder event = StakeholderUpdateOverdue.newBuilder()
                .setEventId(eventId.toString())
                .setIncidentId(o.incidentId().toString())
                .setAudience(o.audience().proto())
                .setSeverity(o.severity())
                .setDueAt(ProtoTime.of(o.dueAt()))
                .setDetectedAt(ProtoTime.of(now))
                .setCadenceMinutes(o.cadenceMinutes());
        if (o.lastUpdateAt() != null) {
            event.setLastUpdateAt(ProtoTime.of(o.lastUpdateAt()));
        }
        return events.enqueue(eventId, o.incidentId().toString(), event.build(), now);
    }

    private static SlackMessage reminder(UpdateClocks.Overdue o) {
        String headline = "Update overdue: " + o.audience().key() + " (" + o.severity() + ")";
        String text = "The " + o.audience().key() + " update for incident `" + o.incidentId() + "` was due at *"
                + HHMM.format(o.dueAt()) + "* (every " + o.cadenceMinutes() + " min at " + o.severity() + "). "
                + "Post it, or post \"no change\": `POST /incidents/" + o.incidentId() + "/updates`.";
        return SlackMessage.of(headline, List.of(text), Map.of(
                "event", WEBHOOK_EVENT,
                "incident_id", o.incidentId().toString(),
                "audience", o.audience().key(),
                "severity", o.severity(),
                "due_at", o.dueAt().toString(),
                "cadence_minutes", o.cadenceMinutes()));
    }
}
