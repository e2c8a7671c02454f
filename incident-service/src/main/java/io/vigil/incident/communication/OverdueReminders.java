package io.vigil.incident.communication;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vigil.contracts.events.v1.StakeholderUpdateOverdue;
import io.vigil.eventing.CloudEventMessages;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.delivery.SlackMessage;
import io.vigil.incident.delivery.WebhookOutbox;

/**
 * The cadence tick: arms the clocks, then claims every update that is overdue and reminds the comms role, by a
 * webhook (queued in the same transaction as the claim) and a {@code StakeholderUpdateOverdue} event on
 * {@code vigil.incident-updates.v1} (sent after the commit, and awaited). Replicas may tick at once: each missed due time
 * is claimed by exactly one of them.
 */
@ApplicationScoped
public class OverdueReminders {

    private static final Logger LOG = Logger.getLogger(OverdueReminders.class);
    public static final String WEBHOOK_EVENT = "stakeholder_update_overdue";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Pool pool;
    private final UpdateClocks clocks;
    private final WebhookOutbox outbox;
    private final CommunicationClock clock;
    private final MutinyEmitter<byte[]> events;

    OverdueReminders(Pool pool, UpdateClocks clocks, WebhookOutbox outbox, CommunicationClock clock,
            @Channel("stakeholder-updates") MutinyEmitter<byte[]> events) {
        this.pool = pool;
        this.clocks = clocks;
        this.outbox = outbox;
        this.clock = clock;
        this.events = events;
    }

    @Scheduled(every = "${vigil.communications.tick-every:30s}", identity = "stakeholder-update-cadence",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return tick().onFailure().invoke(e -> LOG.warnf("cadence tick failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One tick at the clock's now: the reminders this replica raised. */
    public Uni<List<UpdateClocks.Overdue>> tick() {
        Instant now = clock.now();
        return pool.withTransaction(tx -> clocks.arm(tx)
                .chain(() -> clocks.claimOverdue(tx, now))
                .call(overdue -> Multi.createFrom().iterable(overdue)
                        .onItem().transformToUniAndConcatenate(o -> outbox.toCommsRole(tx, WEBHOOK_EVENT,
                                o.incidentId(), reminder(o), now))
                        .collect().last()))
                .call(overdue -> Multi.createFrom().iterable(overdue)
                        .onItem().transformToUniAndConcatenate(o -> publish(o, now))
                        .collect().last());
    }

    private Uni<Void> publish(UpdateClocks.Overdue o, Instant now) {
        StakeholderUpdateOverdue.Builder event = StakeholderUpdateOverdue.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setIncidentId(o.incidentId().toString())
                .setAudience(o.audience().proto())
                .setSeverity(o.severity())
                .setDueAt(ProtoTime.of(o.dueAt()))
                .setDetectedAt(ProtoTime.of(now))
                .setCadenceMinutes(o.cadenceMinutes());
        if (o.lastUpdateAt() != null) {
            event.setLastUpdateAt(ProtoTime.of(o.lastUpdateAt()));
        }
        return events.sendMessage(CloudEventMessages.of("incident-service", o.incidentId().toString(), event.build(),
                now)).onFailure().invoke(e -> LOG.warnf("overdue event for incident %s not published: %s",
                        o.incidentId(), e.toString()))
                .onFailure().recoverWithNull();
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
