package io.vigil.incident;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.contracts.events.v1.CohortMetricWindow;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.ServiceStarted;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.communication.Audience;
import io.vigil.incident.communication.ControllableCommunicationClock;
import io.vigil.incident.communication.OverdueReminders;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * Seed 000 replayed as events: CA 18-24 incorrect approvals rose from 2.0% to 3.1% since 00:00 over ~120k transactions.
 * A cohort monitor alarms at 02:00, 05:00 and 09:00 with growing evidence, a rollout's rollback verdict on the same
 * metric and cohort arrives late, a deploy marker from before midnight arrives later still; then the rate recovers.
 *
 * <p>Expected figures, by hand from the default table (SEV1: lower bound >= 1000 or money >= 100000 or share >= 0.10;
 * SEV2: 200 / 20000 / 0.02; SEV3: 20 / 2000 / 0.005; ticket 85):
 * <ul>
 * <li>02:00 monitor: 20000 x [0.004, 0.018] = [80, 360], money 6800, share 0.015: SEV3 (opens at SEV3)</li>
 * <li>05:00 monitor: 60000 x [0.008, 0.014] = [480, 840], money 40800: SEV2</li>
 * <li>09:00 monitor: 120000 x [0.010, 0.012] = [1200, 1440], money 102000: SEV1</li>
 * <li>03:00 rollback (late): 2000 x [0.005, 0.020] = [10, 40], share 0.003: the incident sums its series to
 *     [1210, 1480], money 102850, share 0.018: still SEV1</li>
 * </ul>
 * All-clear: threshold 2.0% x 1.15 = 2.3%; pre-incident volume 5000 per window.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class SeedIncidentTest {

    static final String METRIC = "INCORRECT_APPROVAL_RATE";
    static final String COHORT = "country=CA & age=18-24";
    static final String ADJACENT = "country=CA & age=25-34";
    static final Instant DAY = Instant.parse("2026-11-27T00:00:00Z");
    static final String VIEWER = TestTokens.bearer("viewer", "vera");
    static final String OPERATOR = TestTokens.bearer("operator", "olga");
    static final String COMMANDER = TestTokens.bearer("commander", "cmdr-carla");

    static EventSender sender;

    @Inject
    ControllableCommunicationClock clock;
    @Inject
    OverdueReminders reminders;

    @BeforeAll
    static void connect() {
        sender = new EventSender();
    }

    @AfterAll
    static void disconnect() {
        sender.close();
    }

    static Instant t(String hhmm) {
        return Instant.parse("2026-11-27T" + hhmm + ":00Z");
    }

    static VerdictIssued monitor(String id, String cohort, VerdictKind kind, Instant at, double lo, double hi,
            long exposure, double share) {
        return VerdictIssued.newBuilder().setVerdictId("v-" + id + "-" + at).setKind(kind).setMonitorId(id)
                .setEvaluatedAt(ProtoTime.of(at)).setReason(kind + " " + cohort).setTreatmentShare(share)
                .addEvidence(GuardrailEvidence.newBuilder().setGuardrail("iar").setMetric(METRIC).setCohort(cohort)
                        .setJudgement(kind == VerdictKind.VERDICT_KIND_MONITOR_ALARM ? Judgement.JUDGEMENT_HARMFUL
                                : Judgement.JUDGEMENT_NON_INFERIOR)
                        .setHarmLower(lo).setHarmUpper(hi).setTreatmentExposure(exposure))
                .build();
    }

    static String window(String metric, String cohort, Instant start, long num, long den, long decisions, double baseline) {
        return sender.send(EventTopics.COHORT_METRICS, metric + "|" + cohort, "guardrail-service",
                CohortMetricWindow.newBuilder().setEventId("w-" + metric + cohort + start).setMetric(metric)
                        .setCohort(cohort).setWindowStart(ProtoTime.of(start))
                        .setWindowEnd(ProtoTime.of(start.plus(Duration.ofMinutes(30)))).setNumerator(num)
                        .setDenominator(den).setDecisions(decisions).setBaselineRate(baseline).build(),
                start.plus(Duration.ofMinutes(30)));
    }

    static List<Map<String, Object>> incidentsOf(String cohort) {
        List<Map<String, Object>> all = given().header("Authorization", VIEWER).get("/incidents").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(i -> METRIC.equals(i.get("metric")) && cohort.equals(i.get("cohort"))).toList();
    }

    static JsonPath get(String path) {
        return given().header("Authorization", VIEWER).get(path).then().statusCode(200).extract().jsonPath();
    }

    /**
     * The seed incident at SEV1 on the communications clock (set by the test): cadences from application.properties,
     * SEV1: executives, partner teams, support and the public page every 30 min, finance and merchants every 60. The
     * clocks run from the opening (02:00) until a first update, so at 09:05 every audience is overdue, each reminded
     * once; after "no change" to all at 09:05 they are due at 09:35 and 10:05, and reminded when those pass.
     */
    private void keepsEveryAudienceOnTheSev1Cadence(java.util.UUID id) {
        try {
            clock.set(t("09:05"));
            assertEquals(List.of(Audience.values()), overdue(id), "all overdue since 02:30 / 03:00");
            assertEquals(List.of(), overdue(id), "each missed due time reminded once");
            for (Audience a : Audience.values()) {
                given().header("Authorization", OPERATOR).contentType("application/json")
                        .body(Map.of("audience", a.key(), "kind", "NO_CHANGE")).post("/incidents/" + id + "/updates")
                        .then().statusCode(201).body("posted_by", org.hamcrest.Matchers.equalTo("olga"));
            }
            assertEquals(List.of("executives: NO_CHANGE", "finance: NO_CHANGE", "partner-teams: NO_CHANGE",
                    "support: NO_CHANGE", "merchants: NO_CHANGE", "public-status-page: NO_CHANGE"),
                    get("/incidents/" + id + "/audit").getList("findAll { it.action == 'stakeholder-update' && "
                            + "it.actor == 'olga' }.detail"), "every post in the audit trail with its subject");
            JsonPath clocks = get("/incidents/" + id + "/update-clocks");
            assertEquals(List.of("2026-11-27T09:35:00Z", "2026-11-27T09:35:00Z", "2026-11-27T09:35:00Z",
                    "2026-11-27T09:35:00Z", "2026-11-27T10:05:00Z", "2026-11-27T10:05:00Z"), clocks.getList("due_at"));
            assertEquals(List.of("executives", "partner-teams", "public-status-page", "support", "finance",
                    "merchants"), clocks.getList("audience"));
            clock.set(t("09:34"));
            assertEquals(List.of(), overdue(id));
            clock.set(t("09:36"));
            assertEquals(List.of(Audience.EXECUTIVES, Audience.PARTNER_TEAMS, Audience.SUPPORT,
                    Audience.PUBLIC_STATUS_PAGE), overdue(id));
            clock.set(t("10:06"));
            assertEquals(List.of(Audience.FINANCE, Audience.MERCHANTS), overdue(id));
        } finally {
            clock.set(null);
        }
    }

    private List<Audience> overdue(java.util.UUID id) {
        return reminders.tick().await().indefinitely().stream().filter(o -> o.incidentId().equals(id))
                .map(o -> o.audience()).sorted().toList();
    }

    @Test
    void seed000OpensOneIncidentAtTheRightSeverityAndProposesAllClearOnlyWhenTheDataSaySo() {
        String monitorId = "mon-iar-ca-18-24";
        // pre-incident windows: 00:00-02:00 at 3.1%, 5000 decisions each (the volume reference)
        for (int k = 0; k < 4; k++) {
            window(METRIC, COHORT, DAY.plus(Duration.ofMinutes(30L * k)), 155, 5000, 5000, 0.02);
        }
        VerdictIssued m1 = monitor(monitorId, COHORT, VerdictKind.VERDICT_KIND_MONITOR_ALARM, t("02:00"), 0.004, 0.018,
                20_000, 0.015);
        CloudEventHeaders m1Headers = new CloudEventHeaders("m1-" + System.nanoTime(), "//vigil/guardrail-service",
                "vigil.events.v1.VerdictIssued", t("02:00"), CloudEventHeaders.PROTOBUF);
        sender.send(EventTopics.VERDICTS, monitorId, m1Headers, m1);
        Map<String, Object> opened = Await.until("the incident to open", () -> {
            List<Map<String, Object>> l = incidentsOf(COHORT);
            return l.size() == 1 ? l.get(0) : null;
        });
        String id = (String) opened.get("id");
        assertEquals("SEV3", opened.get("severity"));
        assertEquals("DETECTED", opened.get("state"));
        assertEquals(List.of("checkout-risk-scoring", "payments-ca"), opened.get("components"));
        assertEquals("2026-11-27T02:00:00Z", opened.get("opened_at"));

        sender.send(EventTopics.VERDICTS, monitorId, "guardrail-service",
                monitor(monitorId, COHORT, VerdictKind.VERDICT_KIND_MONITOR_ALARM, t("05:00"), 0.008, 0.014, 60_000, 0.015),
                t("05:00"));
        sender.send(EventTopics.VERDICTS, monitorId, m1Headers, m1); // redelivered: changes nothing
        sender.send(EventTopics.VERDICTS, monitorId, "guardrail-service",
                monitor(monitorId, COHORT, VerdictKind.VERDICT_KIND_MONITOR_ALARM, t("09:00"), 0.010, 0.012, 120_000, 0.015),
                t("09:00"));
        // late: the rollback verdict from 03:00 on the same metric and cohort, and a deploy from before midnight
        sender.send(EventTopics.VERDICTS, "r-model-7", "guardrail-service", VerdictIssued.newBuilder()
                .setVerdictId("v-r-model-7").setKind(VerdictKind.VERDICT_KIND_ROLLBACK).setRolloutId("r-model-7")
                .setEvaluatedAt(ProtoTime.of(t("03:00"))).setReason("breached: incorrect approvals")
                .setTreatmentShare(0.003)
                .addEvidence(GuardrailEvidence.newBuilder().setGuardrail("iar").setMetric(METRIC).setCohort(COHORT)
                        .setJudgement(Judgement.JUDGEMENT_HARMFUL).setHarmLower(0.005).setHarmUpper(0.020)
                        .setTreatmentExposure(2000))
                .build(), t("03:00"));
        Instant deployAt = Instant.parse("2026-11-26T23:40:00Z");
        sender.send(EventTopics.SERVICE_LIFECYCLE, "scoring-service", "scoring-service", ServiceStarted.newBuilder()
                .setService("scoring-service").setVersion("0.4.2").setInstanceId("scoring-7f9c")
                .setStartedAt(ProtoTime.of(deployAt)).build(), deployAt);

        JsonPath timeline = Await.until("the late events in the timeline", () -> {
            JsonPath tl = get("/incidents/" + id + "/timeline");
            List<String> kinds = tl.getList("kind");
            // the scoring deploy, not any DEPLOY: this service's own start (wall time, while the incident is open)
            // is a deploy marker too, and may be consumed first
            return kinds.stream().filter("ALARM"::equals).count() == 2
                    && tl.getList("summary").contains("scoring-service 0.4.2 started")
                    && tl.getInt("find { it.kind == 'ALARM' && it.summary.contains('MONITOR') }.count") == 3 ? tl : null;
        });

        assertEquals(1, incidentsOf(COHORT).size(), "one cause, one incident");
        JsonPath incident = get("/incidents/" + id);
        assertEquals("SEV1", incident.getString("severity"));
        assertEquals(1210.0, incident.getDouble("impact.excess_harmed_low"), 1e-6);
        assertEquals(1480.0, incident.getDouble("impact.excess_harmed_high"), 1e-6);
        assertEquals(102_850.0, incident.getDouble("impact.money_at_stake"), 1e-6);
        assertEquals(0.018, incident.getDouble("impact.checkout_share"), 1e-9);
        assertEquals("2026-11-27T09:00:00Z", incident.getString("last_event_at"));

        // event-time order however late the events arrived
        List<String> times = timeline.getList("occurred_at");
        for (int k = 1; k < times.size(); k++) {
            assertTrue(Instant.parse(times.get(k - 1)).compareTo(Instant.parse(times.get(k))) <= 0, times.toString());
        }
        assertEquals("DEPLOY", timeline.getString("[0].kind"));
        assertEquals("scoring-service 0.4.2 started", timeline.getString("[0].summary"));
        Map<String, Object> folded = timeline.getMap("find { it.kind == 'ALARM' && it.summary.contains('MONITOR') }");
        assertEquals("2026-11-27T02:00:00Z", folded.get("first_seen"));
        assertEquals("2026-11-27T09:00:00Z", folded.get("last_seen"));
        assertEquals("2026-11-27T03:00:00Z",
                timeline.getString("find { it.kind == 'ALARM' && it.summary.contains('ROLLBACK') }.occurred_at"));
        List<String> severityChanges = timeline.getList("findAll { it.kind == 'SEVERITY' }.summary");
        assertEquals(List.of("Opened at SEV3", "Severity SEV3 -> SEV2", "Severity SEV2 -> SEV1"), severityChanges);
        assertEquals("2026-11-27T05:00:00Z",
                timeline.getString("find { it.summary == 'Severity SEV3 -> SEV2' }.occurred_at"));

        keepsEveryAudienceOnTheSev1Cadence(java.util.UUID.fromString(id));

        // states: illegal moves are refused, the usual path is allowed
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("state", "MONITORING", "reason", "skip ahead")).post("/incidents/" + id + "/transitions")
                .then().statusCode(409).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo("state"));
        for (String s : List.of("INVESTIGATING", "MITIGATING", "MONITORING")) {
            given().header("Authorization", OPERATOR).contentType("application/json")
                    .body(Map.of("state", s, "reason", "seed 000 plan")).post("/incidents/" + id + "/transitions")
                    .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo(s));
        }

        // recovery: 09:00 still bad, then 10:00 and 10:30 good (2.2%, 2.3% at 4000 decisions = -20%)
        for (int k = 0; k < 6; k++) {
            window("REVIEW_QUEUE_LOAD", "", t("09:00").plus(Duration.ofMinutes(30L * k)), 60, 100, 0, 0);
        }
        window(METRIC, COHORT, t("09:00"), 150, 5000, 5000, 0.02);
        window(METRIC, COHORT, t("10:00"), 110, 5000, 5000, 0.02);
        window(METRIC, COHORT, t("10:30"), 115, 5000, 4000, 0.02);
        JsonPath ac = Await.until("two good windows judged", () -> {
            JsonPath a = get("/incidents/" + id + "/all-clear");
            return a.getString("check.last_window_end").equals("2026-11-27T11:00:00Z")
                    && a.getList("check.evidence").toString().contains("10:30:00Z..2026-11-27T11:00:00Z review queue") ? a : null;
        });
        assertEquals(0.023, ac.getDouble("threshold"), 0);
        assertEquals(5000.0, ac.getDouble("baseline_volume"), 0);
        assertEquals(false, ac.getBoolean("check.met"));
        assertNull(ac.get("proposed_at"));

        // an adjacent cohort (other ages in CA) alarms: the third good window must not clear
        sender.send(EventTopics.VERDICTS, "mon-iar-ca-25-34", "guardrail-service", monitor("mon-iar-ca-25-34", ADJACENT,
                VerdictKind.VERDICT_KIND_MONITOR_ALARM, t("11:20"), 0.002, 0.006, 30_000, 0.02), t("11:20"));
        Await.until("the adjacent incident", () -> incidentsOf(ADJACENT).size() == 1);
        window(METRIC, COHORT, t("11:00"), 100, 5000, 6400, 0.02);
        ac = Await.until("three good windows judged", () -> {
            JsonPath a = get("/incidents/" + id + "/all-clear");
            return a.getString("check.last_window_end").equals("2026-11-27T11:30:00Z") ? a : null;
        });
        assertEquals(false, ac.getBoolean("check.met"));
        assertEquals(List.of("adjacent cohorts alarming on INCORRECT_APPROVAL_RATE: [country=CA & age=25-34]"),
                ac.getList("check.failures"));
        assertNull(ac.get("proposed_at"));
        assertNull(get("/incidents/" + id).get("resolution.proposed_at"));

        // the adjacent cohort recovers; the next good window (2.1%) proposes RESOLVED with the evidence
        String adjacentId = (String) incidentsOf(ADJACENT).get(0).get("id");
        sender.send(EventTopics.VERDICTS, "mon-iar-ca-25-34", "guardrail-service", monitor("mon-iar-ca-25-34", ADJACENT,
                VerdictKind.VERDICT_KIND_MONITOR_RECOVERED, t("11:50"), -0.001, 0.001, 30_000, 0.02), t("11:50"));
        Await.until("the recovery in the adjacent timeline", () -> get("/incidents/" + adjacentId + "/timeline")
                .getList("kind").contains("VERDICT"));
        window(METRIC, COHORT, t("11:30"), 105, 5000, 5000, 0.02);
        JsonPath proposed = Await.until("the all-clear proposal", () -> {
            JsonPath i = get("/incidents/" + id);
            return i.get("resolution.proposed_at") != null ? i : null;
        });
        assertEquals("2026-11-27T12:00:00Z", proposed.getString("resolution.proposed_at"));
        assertEquals("MONITORING", proposed.getString("state"), "proposed, not resolved: a person confirms");
        String evidence = proposed.getString("resolution.evidence");
        assertTrue(evidence.contains("rate 0.0230 (115/5000) <= 0.0230"), evidence);
        assertTrue(evidence.contains("no adjacent cohort alarming"), evidence);
        assertNotNull(get("/incidents/" + id + "/timeline").get("find { it.kind == 'ALL_CLEAR' }"));

        // only a commander confirms
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of())
                .post("/incidents/" + id + "/all-clear/confirm").then().statusCode(403);
        given().header("Authorization", COMMANDER).contentType("application/json").body(Map.of("text", "checked"))
                .post("/incidents/" + id + "/all-clear/confirm").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("RESOLVED"));
        List<String> actors = get("/incidents/" + id + "/audit").getList("findAll { it.action == 'transition' }.actor");
        assertEquals(List.of("olga", "olga", "olga", "cmdr-carla"), actors);
    }
}
