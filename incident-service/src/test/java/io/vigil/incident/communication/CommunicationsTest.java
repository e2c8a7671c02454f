package io.vigil.incident.communication;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.events.v1.StakeholderAudience;
import io.vigil.contracts.events.v1.StakeholderUpdateOverdue;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.delivery.WebhookDispatcher;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.CapturedLog;
import io.vigil.testing.security.TestTokens;

/**
 * Stakeholder communications against a real PostgreSQL, a real Kafka broker and real HTTP receivers, on a
 * controllable clock: cadence and overdue reminders (event + webhook), "no change" resetting the clock, drafts with
 * provenance, signed delivery with retries and dead letters.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommunicationsTest {

    private static final String COMMS_SECRET = "comms-secret-0123456789abcdef0123456789";
    private static final String FINANCE_SECRET = "finance-secret-0123456789abcdef012345678";
    private static final String DOWN_SECRET = "down-secret-0123456789abcdef0123456789ab";

    @Inject
    ControllableCommunicationClock clock;
    @Inject
    OverdueReminders reminders;
    @Inject
    WebhookDispatcher dispatcher;

    private WebhookReceiver receiver;

    /** Once, before the first test (RestAssured knows the test port only once a test runs). */
    @BeforeEach
    void receivers() throws Exception {
        if (receiver != null) {
            return;
        }
        receiver = new WebhookReceiver();
        subscribe("comms-role", receiver.route("/comms", COMMS_SECRET, n -> 200), List.of(), true, COMMS_SECRET);
        // Fails twice, then accepts.
        subscribe("finance-flaky", receiver.route("/finance", FINANCE_SECRET, n -> n <= 2 ? 503 : 200),
                List.of("finance"), false, FINANCE_SECRET);
        subscribe("finance-down", receiver.route("/down", DOWN_SECRET, n -> 500), List.of("finance"), false,
                DOWN_SECRET);
    }

    @AfterEach
    void wallTime() {
        clock.set(null);
    }

    @AfterAll
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static void subscribe(String name, String url, List<String> audiences, boolean reminders, String secret) {
        given().header("Authorization", TestTokens.bearer("admin", "alice")).contentType(ContentType.JSON)
                .body(Map.of("name", name, "url", url, "audiences", audiences, "receives_reminders", reminders,
                        "secret", secret))
                .when().post("/webhooks/subscribers").then().statusCode(201)
                .body("secret", equalTo(secret));
    }

    @Test
    void shouldKeepExecutivesOnTheSev1CadenceWithRemindersAndNoChangeResettingTheClock() throws Exception {
        Instant t0 = Instant.parse("2031-01-10T09:00:00Z");
        UUID id = TestIncidents.open("Incorrect approvals up in one cohort", "SEV1", t0, "checkout-risk-scoring",
                1100, 1540, 48000, 0.008);

        clock.set(t0.plus(Duration.ofMinutes(1)));
        reminders.tick().await().indefinitely();
        JsonPath clocks = given().header("Authorization", TestTokens.bearer("viewer", "vic"))
                .when().get("/incidents/" + id + "/update-clocks").then().statusCode(200).extract().jsonPath();
        assertEquals("2031-01-10T09:30:00Z", dueAt(clocks, "executives"), "SEV1 executives: due at +30 min");
        assertEquals("2031-01-10T10:00:00Z", dueAt(clocks, "finance"), "SEV1 finance: every 60 min");

        clock.set(t0.plus(Duration.ofMinutes(29)));
        assertTrue(mine(reminders.tick().await().indefinitely(), id).isEmpty(), "nothing overdue before 09:30");

        clock.set(t0.plus(Duration.ofMinutes(31)));
        List<Audience> overdue = mine(reminders.tick().await().indefinitely(), id);
        assertEquals(List.of(Audience.EXECUTIVES, Audience.PARTNER_TEAMS, Audience.SUPPORT,
                Audience.PUBLIC_STATUS_PAGE), overdue.stream().sorted().toList(), "the 30-minute audiences");
        assertTrue(mine(reminders.tick().await().indefinitely(), id).isEmpty(), "one reminder per missed due time");

        // The reminder event on Kafka.
        StakeholderUpdateOverdue event = awaitOverdueEvent(id, StakeholderAudience.STAKEHOLDER_AUDIENCE_EXECUTIVES);
        assertEquals("SEV1", event.getSeverity());
        assertEquals(30, event.getCadenceMinutes());
        assertEquals(Instant.parse("2031-01-10T09:30:00Z"), ProtoTime.toInstant(event.getDueAt()));
        assertEquals(t0.plus(Duration.ofMinutes(31)), ProtoTime.toInstant(event.getDetectedAt()));
        assertFalse(event.hasLastUpdateAt());

        // The reminder webhook to the comms role, signed.
        drain();
        List<WebhookReceiver.Received> toComms = receiver.received("/comms").stream()
                .filter(r -> r.body().contains(id.toString()) && r.body().contains("\"audience\":\"executives\""))
                .toList();
        assertEquals(1, toComms.size(), "one reminder webhook for executives");
        WebhookReceiver.Received reminder = toComms.get(0);
        assertTrue(reminder.signatureValid(), "signature verified by the receiver's own HMAC");
        assertEquals(clock.now().getEpochSecond(), reminder.signedAt());
        assertEquals("stakeholder_update_overdue", reminder.eventType());
        JsonPath slack = new JsonPath(reminder.body());
        assertTrue(slack.getString("text").startsWith("Update overdue: executives (SEV1)"), slack.getString("text"));
        assertEquals("header", slack.getString("blocks[0].type"));
        assertEquals("section", slack.getString("blocks[1].type"));

        // "No change" is a valid update: recorded with the token's subject, and the clock restarts from it.
        clock.set(t0.plus(Duration.ofMinutes(32)));
        given().header("Authorization", TestTokens.bearer("operator", "olga")).contentType(ContentType.JSON)
                .body(Map.of("audience", "executives", "kind", "NO_CHANGE"))
                .when().post("/incidents/" + id + "/updates").then().statusCode(201)
                .body("posted_by", equalTo("olga"))
                .body("body", equalTo("No change since the last update."))
                .body("was_due_at", equalTo("2031-01-10T09:30:00Z"))
                .body("next_due_at", equalTo("2031-01-10T10:02:00Z"));
        clock.set(t0.plus(Duration.ofMinutes(61)));
        assertFalse(mine(reminders.tick().await().indefinitely(), id).contains(Audience.EXECUTIVES),
                "due again only at 10:02");
        clock.set(t0.plus(Duration.ofMinutes(63)));
        assertTrue(mine(reminders.tick().await().indefinitely(), id).contains(Audience.EXECUTIVES),
                "missed again at 10:02: reminded again");
        StakeholderUpdateOverdue second = awaitOverdueEvent(id, StakeholderAudience.STAKEHOLDER_AUDIENCE_EXECUTIVES,
                Instant.parse("2031-01-10T10:02:00Z"));
        assertEquals(t0.plus(Duration.ofMinutes(32)), ProtoTime.toInstant(second.getLastUpdateAt()));
    }

    /** Two replicas ticking at the same moment: each missed due time is claimed by exactly one of them. */
    @Test
    void shouldRaiseEachReminderOnceWhenReplicasTickTogether() {
        Instant t0 = Instant.parse("2031-05-10T09:00:00Z");
        UUID id = TestIncidents.open("Concurrent ticks", "SEV1", t0, "checkout-risk-scoring", 1, 2, 3, 0.0);
        clock.set(t0.plus(Duration.ofMinutes(31)));
        var both = io.smallrye.mutiny.Uni.combine().all().unis(reminders.tick(), reminders.tick()).asTuple()
                .await().indefinitely();
        List<Audience> claimed = new ArrayList<>(mine(both.getItem1(), id));
        claimed.addAll(mine(both.getItem2(), id));
        assertEquals(List.of(Audience.EXECUTIVES, Audience.PARTNER_TEAMS, Audience.SUPPORT,
                Audience.PUBLIC_STATUS_PAGE), claimed.stream().sorted().toList(), "each once, across both");
    }

    /**
     * The reminder events go through the outbox in the claim's transaction: with two replicas ticking at once, one
     * outbox row per missed due time, each relayed once (one claim, acknowledged), and on the topic exactly once with
     * the row's id as {@code ce_id} and as the payload's {@code event_id}.
     */
    @Test
    void shouldPublishEachReminderOnceThroughTheOutboxWhenReplicasTickTogether() {
        Instant t0 = Instant.parse("2031-06-10T09:00:00Z");
        UUID id = TestIncidents.open("Concurrent ticks, published", "SEV1", t0, "checkout-risk-scoring", 1, 2, 3, 0.0);
        clock.set(t0.plus(Duration.ofMinutes(31)));
        io.smallrye.mutiny.Uni.combine().all().unis(reminders.tick(), reminders.tick()).asTuple()
                .await().indefinitely();

        List<Map<String, Object>> rows = io.vigil.incident.Await.until("the reminders relayed", () -> {
            List<Map<String, Object>> r = TestIncidents.rows(
                    "SELECT id, status, attempts FROM outbox_event WHERE event_key = ? ORDER BY id", id.toString());
            return r.size() == 4 && r.stream().allMatch(x -> "SENT".equals(x.get("status"))) ? r : null;
        });
        assertTrue(rows.stream().allMatch(r -> Integer.valueOf(1).equals(r.get("attempts"))),
                "each sent on its first claim: " + rows);

        List<IncidentUpdatesTopic.Received> onTopic = IncidentUpdatesTopic.about(id);
        assertEquals(rows.stream().map(r -> r.get("id").toString()).sorted().toList(),
                onTopic.stream().map(r -> r.headers().id()).sorted().toList(), "each row once on the topic, by id");
        for (IncidentUpdatesTopic.Received r : onTopic) {
            assertEquals(r.headers().id(), r.event().getEventId(), "ce_id is the payload's event_id");
            assertEquals("vigil.events.v1.StakeholderUpdateOverdue", r.headers().type());
            assertEquals(Instant.parse("2031-06-10T09:30:00Z"), ProtoTime.toInstant(r.event().getDueAt()));
        }
        assertEquals(List.of(StakeholderAudience.STAKEHOLDER_AUDIENCE_EXECUTIVES,
                StakeholderAudience.STAKEHOLDER_AUDIENCE_PARTNER_TEAMS,
                StakeholderAudience.STAKEHOLDER_AUDIENCE_SUPPORT,
                StakeholderAudience.STAKEHOLDER_AUDIENCE_PUBLIC_STATUS_PAGE),
                onTopic.stream().map(r -> r.event().getAudience()).sorted().toList(), "the 30-minute audiences");
    }

    @Test
    void shouldReplanTheClockWhenSeverityRises() {
        Instant t0 = Instant.parse("2031-02-10T09:00:00Z");
        UUID id = TestIncidents.open("Step-up failures", "SEV2", t0, "step-up", 10, 20, 500, 0.001);
        clock.set(t0.plus(Duration.ofMinutes(1)));
        reminders.tick().await().indefinitely();
        assertEquals("2031-02-10T10:00:00Z", dueAt(clocksOf(id), "executives"), "SEV2 executives: 60 min");
        TestIncidents.set(id, "severity", "SEV1");
        reminders.tick().await().indefinitely();
        assertEquals("2031-02-10T09:30:00Z", dueAt(clocksOf(id), "executives"), "SEV1 executives: 30 min");
        TestIncidents.set(id, "state", "RESOLVED");
        reminders.tick().await().indefinitely();
        assertTrue(clocksOf(id).getList("$").isEmpty(), "a resolved incident owes no scheduled updates");
    }

    @Test
    void shouldDraftFromLiveFiguresWithProvenanceAndTrend() {
        Instant t0 = Instant.parse("2031-03-10T09:00:00Z");
        UUID id = TestIncidents.open("Incorrect approvals up in one cohort", "SEV1", t0, "checkout-risk-scoring",
                1100, 1540, 48000, 0.008);
        TestIncidents.set(id, "last_event_at", t0.plus(Duration.ofMinutes(20)));
        clock.set(t0.plus(Duration.ofMinutes(25)));
        given().header("Authorization", TestTokens.bearer("operator", "olga")).contentType(ContentType.JSON)
                .body(Map.of("audience", "executives", "body", "Rolled back the challenger; watching the cohort.",
                        "next_decision", "expand the threshold change or roll it back",
                        "next_decision_at", "2031-03-10T10:30:00Z"))
                .when().post("/incidents/" + id + "/updates").then().statusCode(201);
        // Impact grows beyond the earlier interval.
        TestIncidents.set(id, "excess_harmed_low", 1600.0);
        TestIncidents.set(id, "excess_harmed_high", 2100.0);
        clock.set(t0.plus(Duration.ofMinutes(50)));
        JsonPath draft = given().header("Authorization", TestTokens.bearer("viewer", "vic"))
                .when().get("/incidents/" + id + "/drafts/executives").then().statusCode(200)
                .extract().jsonPath();
        String text = draft.getString("text");
        assertTrue(text.contains("Impact: 1,600 to 2,100 transactions (95% CI) excess harmed; $48,000 at stake; 0.8%"
                + " of checkout affected."), text);
        assertTrue(text.contains("window 2031-03-10 09:00 UTC to 2031-03-10 09:20 UTC; computed 2031-03-10 09:50 UTC"),
                text);
        assertTrue(text.contains("Trend: rising since the update of 2031-03-10 09:25 UTC"), text);
        assertTrue(text.contains("Next decision point: expand the threshold change or roll it back at 2031-03-10 10:30"
                + " UTC."), text);
        assertTrue(text.contains("Next update: 2031-03-10 09:55 UTC."), "25 + 30 min: " + text);
        assertEquals("2031-03-10T09:00:00Z", draft.getString("provenance.window_start"));
        assertEquals("2031-03-10T09:50:00Z", draft.getString("provenance.computed_at"));
        assertTrue(draft.getString("provenance.query").startsWith("incident impact"));
        assertEquals(1600.0, draft.getDouble("figures.excess_harmed_low"));
        assertFalse(draft.getBoolean("redacted"));
    }

    @Test
    void shouldRetryWithBackoffThenDeliverOrDeadLetter() {
        Instant t0 = Instant.parse("2031-04-10T09:00:00Z");
        UUID id = TestIncidents.open("Payments declines", "SEV2", t0, "payments-eu", 10, 20, 500, 0.001);
        clock.set(t0.plus(Duration.ofMinutes(5)));
        given().header("Authorization", TestTokens.bearer("operator", "olga")).contentType(ContentType.JSON)
                .body(Map.of("audience", "finance", "body", "Money at stake is $500 so far."))
                .when().post("/incidents/" + id + "/updates").then().statusCode(201);

        // Test profile: 3 attempts, 10 s then 20 s apart.
        CapturedLog log = CapturedLog.start();
        drain(); // attempt 1: 503 and 500
        clock.advance(Duration.ofSeconds(9));
        drain(); // not due yet
        assertEquals(1, mineOn("/finance", id).size(), "backoff: not retried before 10 s");
        clock.advance(Duration.ofSeconds(1));
        drain(); // attempt 2
        clock.advance(Duration.ofSeconds(20));
        drain(); // attempt 3: flaky accepts, down is dead-lettered
        clock.advance(Duration.ofMinutes(10));
        drain(); // nothing more
        log.close();
        List<String> lines = log.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("dead-lettered")),
                "dead letter logged (so the capture works)");
        assertTrue(lines.stream().noneMatch(l -> l.contains(FINANCE_SECRET) || l.contains(DOWN_SECRET)
                || l.contains("v1=")), "a secret or a signature in the log");
        assertEquals(3, mineOn("/finance", id).size());
        assertEquals(3, mineOn("/down", id).size());
        for (WebhookReceiver.Received r : mineOn("/finance", id)) {
            assertTrue(r.signatureValid(), r.signature());
        }
        assertEquals(1, mineOn("/finance", id).stream().map(WebhookReceiver.Received::deliveryId).distinct().count(),
                "one delivery id across its attempts, for receivers to de-duplicate");

        JsonPath deliveries = given().header("Authorization", TestTokens.bearer("operator", "olga"))
                .when().get("/webhooks/deliveries?limit=1000").then().statusCode(200).extract().jsonPath();
        Map<String, Object> flaky = delivery(deliveries, "finance-flaky", id);
        assertEquals("DELIVERED", flaky.get("status"));
        assertEquals(3, flaky.get("attempts"));
        assertEquals(200, flaky.get("last_status_code"));
        Map<String, Object> down = delivery(deliveries, "finance-down", id);
        assertEquals("DEAD", down.get("status"));
        assertEquals(3, down.get("attempts"));
        assertEquals(500, down.get("last_status_code"));
        assertEquals("HTTP 500", down.get("last_error"));
        given().header("Authorization", TestTokens.bearer("operator", "olga"))
                .when().get("/webhooks/deliveries?status=DEAD&subscriber=finance-down").then().statusCode(200)
                .body("incident_id", org.hamcrest.Matchers.hasItem(id.toString()));
        // Secrets never leave the service after creation.
        String subscribers = given().header("Authorization", TestTokens.bearer("operator", "olga"))
                .when().get("/webhooks/subscribers").then().statusCode(200).extract().asString();
        assertFalse(subscribers.contains(FINANCE_SECRET) || subscribers.contains("secret"), subscribers);
    }

    /**
     * Dispatch rounds at the clock's now until nothing is due: other tests' (and the fuzzers') subscribers share the
     * queue, and one round sends at most a batch.
     */
    private void drain() {
        for (int i = 0; i < 200; i++) {
            WebhookDispatcher.Round r = dispatcher.dispatch().await().indefinitely();
            if (r.delivered() + r.retrying() + r.dead() == 0) {
                return;
            }
        }
        throw new AssertionError("webhook queue did not drain");
    }

    private List<WebhookReceiver.Received> mineOn(String path, UUID id) {
        return receiver.received(path).stream().filter(r -> r.body().contains(id.toString())).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> delivery(JsonPath log, String subscriber, UUID id) {
        List<Map<String, Object>> rows = log.getList("$");
        return rows.stream().filter(r -> subscriber.equals(r.get("subscriber_name"))
                && id.toString().equals(r.get("incident_id"))).findFirst().orElseThrow();
    }

    private static JsonPath clocksOf(UUID id) {
        return given().header("Authorization", TestTokens.bearer("viewer", "vic"))
                .when().get("/incidents/" + id + "/update-clocks").then().statusCode(200).extract().jsonPath();
    }

    private static String dueAt(JsonPath clocks, String audience) {
        return clocks.getString("find { it.audience == '" + audience + "' }.due_at");
    }

    private static List<Audience> mine(List<UpdateClocks.Overdue> overdue, UUID id) {
        List<Audience> out = new ArrayList<>();
        for (UpdateClocks.Overdue o : overdue) {
            if (o.incidentId().equals(id)) {
                out.add(o.audience());
            }
        }
        return out;
    }

    private static StakeholderUpdateOverdue awaitOverdueEvent(UUID id, StakeholderAudience audience) throws Exception {
        return awaitOverdueEvent(id, audience, null);
    }

    private static StakeholderUpdateOverdue awaitOverdueEvent(UUID id, StakeholderAudience audience, Instant dueAt)
            throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "comms-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("vigil.incident-updates.v1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!id.toString().equals(record.key())) {
                        continue;
                    }
                    CloudEventHeaders headers = CloudEventHeaders.readFrom(record.headers());
                    assertEquals("vigil.events.v1.StakeholderUpdateOverdue", headers.type());
                    StakeholderUpdateOverdue event = StakeholderUpdateOverdue.parseFrom(record.value());
                    if (event.getAudience() == audience
                            && (dueAt == null || dueAt.equals(ProtoTime.toInstant(event.getDueAt())))) {
                        assertNotNull(event.getEventId());
                        return event;
                    }
                }
            }
        }
        throw new AssertionError("no StakeholderUpdateOverdue for " + id + " " + audience + " within 30 s");
    }
}
