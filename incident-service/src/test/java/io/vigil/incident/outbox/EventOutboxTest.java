package io.vigil.incident.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.events.v1.StakeholderAudience;
import io.vigil.contracts.events.v1.StakeholderUpdateOverdue;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.communication.IncidentUpdatesTopic;
import io.vigil.incident.communication.TestIncidents;
import io.vigil.incident.config.ReactiveTransactions;
import io.vigil.testing.quarkus.VigilInfrastructure;

/**
 * The event outbox against a real PostgreSQL and a real Kafka broker: an event whose send fails stays pending, with
 * the failure and a backed-off retry time recorded, and is sent by a later pass with the id it was written with.
 * Relays with fixed clocks stand in for passes at chosen times; the service's own relay runs on the wall clock.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class EventOutboxTest {

    @Inject
    EventOutbox outbox;
    @Inject
    OutboxRelay relay;
    @Inject
    OutboxPublisher kafka;
    @Inject
    OutboxConfig config;
    @Inject
    ReactiveTransactions transactions;

    @Test
    void shouldLeaveAnEventWhoseSendFailedForALaterPassThatSendsItWithTheSameId() throws Exception {
        UUID eventId = UUID.randomUUID();
        UUID incidentId = UUID.randomUUID();
        Instant dueAt = Instant.parse("2031-07-10T09:30:00Z");
        StakeholderUpdateOverdue event = StakeholderUpdateOverdue.newBuilder().setEventId(eventId.toString())
                .setIncidentId(incidentId.toString())
                .setAudience(StakeholderAudience.STAKEHOLDER_AUDIENCE_EXECUTIVES).setSeverity("SEV1")
                .setDueAt(ProtoTime.of(dueAt)).setDetectedAt(ProtoTime.of(dueAt.plusSeconds(60)))
                .setCadenceMinutes(30).build();
        // Parked a minute ahead in the same transaction, so the service's scheduled relay (wall clock) leaves it to
        // the passes below.
        Instant parked = Instant.now().plus(Duration.ofMinutes(1));
        transactions.inTransaction(() -> outbox.enqueue(eventId, incidentId.toString(), event, dueAt.plusSeconds(60))
                .chain(() -> OutboxEvent.<OutboxEvent>findById(eventId)).invoke(row -> row.nextAttemptAt = parked))
                .await().indefinitely();

        // A pass two minutes from now (the row is due) whose broker is unreachable.
        Instant firstPass = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.MILLIS);
        try (UnreachableBrokerPublisher unreachable = new UnreachableBrokerPublisher()) {
            OutboxRelay failing = new OutboxRelay(unreachable, Clock.fixed(firstPass, ZoneOffset.UTC), config,
                    transactions, new SimpleMeterRegistry());
            OutboxRelay.Pass pass = failing.relay().await().indefinitely();
            assertTrue(pass.failed() >= 1, pass.toString());
        }
        Map<String, Object> row = row(eventId);
        assertEquals("PENDING", row.get("status"), "left for the next pass");
        assertEquals(1, row.get("attempts"));
        assertTrue(String.valueOf(row.get("last_error")).startsWith("TimeoutException"), row.toString());
        // The first failure backs off by the initial backoff (5 s by default) from the pass that failed.
        assertEquals(Timestamp.from(firstPass.plus(config.initialBackoff())), row.get("next_attempt_at"));

        // The service's relay on the wall clock: not due yet (the backoff runs from two minutes ahead).
        relay.relay().await().indefinitely();
        assertEquals("PENDING", row(eventId).get("status"));

        // The next pass, once the backoff has passed, with the real broker.
        Instant secondPass = firstPass.plus(config.initialBackoff());
        OutboxRelay next = new OutboxRelay(kafka, Clock.fixed(secondPass, ZoneOffset.UTC), config, transactions,
                new SimpleMeterRegistry());
        assertTrue(next.relay().await().indefinitely().sent() >= 1);
        row = row(eventId);
        assertEquals("SENT", row.get("status"));
        assertEquals(2, row.get("attempts"));
        assertNull(row.get("last_error"));
        assertEquals(Timestamp.from(secondPass), row.get("sent_at"));

        List<IncidentUpdatesTopic.Received> onTopic = IncidentUpdatesTopic.about(incidentId);
        assertEquals(1, onTopic.size(), "sent once");
        assertEquals(eventId.toString(), onTopic.get(0).headers().id(), "ce_id is the id the event was written with");
        assertEquals(event, onTopic.get(0).event());
        assertEquals(dueAt.plusSeconds(60), onTopic.get(0).headers().time());
        assertEquals("//vigil/incident-service", onTopic.get(0).headers().source());
    }

    @Test
    void shouldBackOffExponentiallyUpToTheCap() {
        // 5 s doubling, capped at 5 min: 5, 10, 20, 40, 80, 160, then 300.
        OutboxRelay r = new OutboxRelay(kafka, Clock.systemUTC(), config, transactions, new SimpleMeterRegistry());
        List<Long> seconds = List.of(1, 2, 3, 4, 5, 6, 7, 20).stream().map(n -> r.backoff(n).toSeconds()).toList();
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L), seconds);
    }

    private static Map<String, Object> row(UUID id) {
        return TestIncidents.rows("SELECT status, attempts, last_error, next_attempt_at, sent_at FROM outbox_event"
                + " WHERE id = ?", id).get(0);
    }
}
