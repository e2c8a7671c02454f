package io.vigil.incident;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class IncidentRestTest {

    static final String VIEWER = TestTokens.bearer("viewer", "vera");
    static final String OPERATOR = TestTokens.bearer("operator", "olga");
    static final String COMMANDER = TestTokens.bearer("commander", "cmdr-carla");
    static final String ADMIN = TestTokens.bearer("admin", "adam");

    static String open(String title, String occurredAt) {
        return given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("title", title, "severity", "SEV2", "components", List.of("checkout-risk-scoring", "step-up"),
                        "occurred_at", occurredAt))
                .post("/incidents").then().statusCode(201).body("state", equalTo("DETECTED"))
                .body("severity", equalTo("SEV2")).body("opened_by", equalTo("olga"))
                .extract().path("id");
    }

    static final String SOME_ID = "00000000-0000-0000-0000-000000000001";

    /** method, path (with {id} for a real incident), body, field named in the problem. */
    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("POST", "/incidents", "{}", "title"),
                Arguments.of("POST", "/incidents", "{\"title\":\"x\",\"severity\":\"SEV9\",\"components\":[\"step-up\"]}", "severity"),
                Arguments.of("POST", "/incidents", "{\"title\":\"x\",\"severity\":\"SEV1\",\"components\":[]}", "components"),
                Arguments.of("POST", "/incidents", "{\"title\":\"x\",\"severity\":\"SEV1\",\"components\":[\"step-up\",\"Payments EU\"]}", "components[1]"),
                Arguments.of("POST", "/incidents", "{\"title\":\"x\",\"severity\":\"SEV1\",\"components\":\"step-up\"}", "components"),
                Arguments.of("POST", "/incidents", "{\"title\":\"x\",\"severity\":\"SEV1\",\"components\":[\"step-up\"],\"occurred_at\":\"yesterday\"}", "occurred_at"),
                Arguments.of("POST", "/incidents", "{\"title\":\"" + "t".repeat(201) + "\",\"severity\":\"SEV1\",\"components\":[\"step-up\"]}", "title"),
                Arguments.of("POST", "/incidents", "{\"title\":\"a\\u0000b\",\"severity\":\"SEV1\",\"components\":[\"step-up\"]}", "title"),
                Arguments.of("POST", "/incidents", "{not json", "body"),
                Arguments.of("GET", "/incidents/not-a-uuid", null, "id"),
                Arguments.of("GET", "/incidents?state=BROKEN", null, "state"),
                Arguments.of("POST", "/incidents/{id}/transitions", "{\"state\":\"FIXED\",\"reason\":\"r\"}", "state"),
                Arguments.of("POST", "/incidents/{id}/transitions", "{\"state\":\"INVESTIGATING\"}", "reason"),
                Arguments.of("POST", "/incidents/{id}/notes", "{\"text\":\"  \"}", "text"),
                Arguments.of("POST", "/incidents/{id}/notes", "{\"text\":\"n\",\"occurred_at\":\"2026-13-01T00:00:00Z\"}", "occurred_at"),
                Arguments.of("PUT", "/incidents/{id}/roles/janitor", "{\"assignee\":\"ann\"}", "role"),
                Arguments.of("PUT", "/incidents/{id}/roles/ml-engineer", "{\"assignee\":\"ann smith\"}", "assignee"),
                Arguments.of("POST", "/incidents/{id}/decisions", "{\"decision\":\"d\",\"options\":[],\"rationale\":\"r\",\"owner\":\"o\"}", "options"),
                Arguments.of("POST", "/incidents/{id}/decisions", "{\"decision\":\"d\",\"options\":[\"a\",\"\"],\"rationale\":\"r\",\"owner\":\"o\"}", "options[1]"),
                Arguments.of("POST", "/incidents/{id}/mitigations", "{\"description\":\"d\"}", "owner"),
                Arguments.of("POST", "/incidents/{id}/action-items", "{\"kind\":\"FIX\",\"description\":\"d\",\"owner\":\"o\",\"due_date\":\"2026-12-01\",\"verification\":\"v\"}", "kind"),
                Arguments.of("POST", "/incidents/{id}/action-items", "{\"kind\":\"DETECT\",\"description\":\"d\",\"owner\":\"o\",\"due_date\":\"soon\",\"verification\":\"v\"}", "due_date"),
                Arguments.of("POST", "/incidents/{id}/action-items", "{\"kind\":\"DETECT\",\"description\":\"d\",\"owner\":\"o\",\"due_date\":\"2026-12-01\"}", "verification"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> 400 {3}")
    @MethodSource("badRequests")
    void badInputIsA400NamingTheFieldAndChangesNothing(String method, String path, String body, String field) {
        String id = open("bad input target", "2026-11-27T10:00:00Z");
        int auditBefore = given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then().extract()
                .jsonPath().getList("$").size();
        var request = given().header("Authorization", COMMANDER);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        request.request(method, path.replace("{id}", id)).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo(field));
        assertEquals(auditBefore, given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then()
                .extract().jsonPath().getList("$").size(), "nothing half-written");
    }

    @Test
    void commanderBadCriteriaNameTheirField() {
        String id = open("criteria target", "2026-11-27T10:00:00Z");
        // validated before anything else: a threshold of 200% names its field
        given().header("Authorization", COMMANDER).contentType("application/json")
                .body(Map.of("threshold", 2.0, "windows", 3, "window_minutes", 30, "volume_tolerance", 0.3, "queue_share", 0.8))
                .put("/incidents/" + id + "/all-clear/criteria").then().statusCode(400).body("field", equalTo("threshold"));
    }

    @Test
    void withoutATokenIs401AndTheWrongRoleIs403() {
        given().get("/incidents").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", TestTokens.bearer("producer", "p")).get("/incidents").then().statusCode(403);
        given().header("Authorization", VIEWER).contentType("application/json")
                .body(Map.of("title", "t", "severity", "SEV1", "components", List.of("step-up")))
                .post("/incidents").then().statusCode(403);
        String id = open("roles target", "2026-11-27T10:00:00Z");
        // commander-only: severity override, resolving, all-clear; an operator and an admin are refused
        for (String token : List.of(OPERATOR, ADMIN)) {
            given().header("Authorization", token).contentType("application/json")
                    .body(Map.of("severity", "SEV4", "reason", "r")).put("/incidents/" + id + "/severity")
                    .then().statusCode(403).contentType("application/problem+json");
            given().header("Authorization", token).contentType("application/json").body(Map.of())
                    .post("/incidents/" + id + "/all-clear/confirm").then().statusCode(403);
        }
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("state", "RESOLVED", "reason", "false alarm")).post("/incidents/" + id + "/transitions")
                .then().statusCode(403);
        given().header("Authorization", TestTokens.expired("commander", "c")).get("/incidents/" + id).then().statusCode(401);
    }

    @Test
    void illegalTransitionsAre409AndTheStateStays() {
        String id = open("transition target", "2026-11-27T10:00:00Z");
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("state", "MONITORING", "reason", "r")).post("/incidents/" + id + "/transitions")
                .then().statusCode(409).contentType("application/problem+json").body("field", equalTo("state"))
                .body("detail", containsString("DETECTED cannot move to MONITORING"));
        given().header("Authorization", COMMANDER).contentType("application/json")
                .body(Map.of("state", "CLOSED", "reason", "r")).post("/incidents/" + id + "/transitions")
                .then().statusCode(409);
        given().header("Authorization", COMMANDER).contentType("application/json").body(Map.of())
                .post("/incidents/" + id + "/all-clear/confirm").then().statusCode(409);
        given().header("Authorization", VIEWER).get("/incidents/" + id).then().body("state", equalTo("DETECTED"));
        given().header("Authorization", VIEWER).get("/incidents/00000000-0000-0000-0000-000000000000").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aCommanderOverridesSeverityWithAReasonAudited() {
        String id = open("override target", "2026-11-27T10:00:00Z");
        given().header("Authorization", COMMANDER).contentType("application/json")
                .body(Map.of("severity", "SEV1", "reason", "finance escalated")).put("/incidents/" + id + "/severity")
                .then().statusCode(200).body("severity", equalTo("SEV1"))
                .body("severity_detail.overridden_by", equalTo("cmdr-carla"))
                .body("severity_detail.override_reason", equalTo("finance escalated"));
        var audit = given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then().extract().jsonPath();
        assertEquals("cmdr-carla", audit.getString("find { it.action == 'severity-override' }.actor"));
        assertTrue(audit.getString("find { it.action == 'severity-override' }.detail").contains("finance escalated"));
    }

    @Test
    void aLateNoteLandsInItsPlaceInTheTimeline() {
        String id = open("late note target", "2026-11-27T10:00:00Z");
        for (String[] note : new String[][] {{"second", "2026-11-27T10:30:00Z"}, {"third", "2026-11-27T11:00:00Z"},
            {"first, written up late", "2026-11-27T10:10:00Z"}}) {
            given().header("Authorization", OPERATOR).contentType("application/json")
                    .body(Map.of("text", note[0], "occurred_at", note[1])).post("/incidents/" + id + "/notes")
                    .then().statusCode(201).body("author", equalTo("olga"));
        }
        List<String> notes = given().header("Authorization", VIEWER).get("/incidents/" + id + "/timeline").then()
                .extract().jsonPath().getList("findAll { it.kind == 'NOTE' }.summary");
        assertEquals(List.of("first, written up late", "second", "third"), notes);
    }

    @Test
    void rolesDecisionsMitigationsAndActionItemsFeedThePostmortem() {
        String id = open("postmortem target", "2026-11-27T10:00:00Z");
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("assignee", "ian"))
                .put("/incidents/" + id + "/roles/incident-commander").then().statusCode(200)
                .body("role", equalTo("INCIDENT_COMMANDER"));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("assignee", "fay"))
                .put("/incidents/" + id + "/roles/finance_liaison").then().statusCode(200);
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("decision", "Tighten threshold for CA 18-24 on a 25% canary",
                        "options", List.of("roll back model", "threshold canary", "rule fallback"),
                        "rationale", "no diff found since 00:00; reversible", "owner", "ian",
                        "decided_at", "2026-11-27T10:45:00Z"))
                .post("/incidents/" + id + "/decisions").then().statusCode(201).body("owner", equalTo("ian"));
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("description", "threshold canary", "rollout_id", "r-threshold-ca", "owner", "mel"))
                .post("/incidents/" + id + "/mitigations").then().statusCode(201).body("status", equalTo("PLANNED"));
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("kind", "detect", "description", "cohort monitors for age x region", "owner", "dana",
                        "due_date", "2020-01-15", "verification", "a replay of seed 000 pages within 30 min"))
                .post("/incidents/" + id + "/action-items").then().statusCode(201).body("overdue", equalTo(true));
        String itemId = given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("kind", "PREVENT", "description", "pre-deploy cohort backtest", "owner", "ian",
                        "due_date", "2099-01-01", "verification", "the gate blocks a model worse on any cohort"))
                .post("/incidents/" + id + "/action-items").then().statusCode(201).body("overdue", equalTo(false))
                .extract().path("id");

        List<String> overdue = given().header("Authorization", VIEWER).get("/action-items?overdue=true").then()
                .statusCode(200).extract().jsonPath().getList("description");
        assertTrue(overdue.contains("cohort monitors for age x region"), overdue.toString());
        assertTrue(!overdue.contains("pre-deploy cohort backtest"), overdue.toString());
        given().header("Authorization", OPERATOR).post("/action-items/" + itemId + "/done").then().statusCode(200);
        given().header("Authorization", OPERATOR).post("/action-items/" + itemId + "/done").then().statusCode(409);

        String md = given().header("Authorization", VIEWER).get("/incidents/" + id + "/postmortem").then()
                .statusCode(200).contentType(containsString("text/markdown")).extract().asString();
        assertTrue(md.startsWith("# Postmortem (draft): postmortem target"), md);
        assertTrue(md.contains("| 2026-11-27T10:45:00Z | Tighten threshold for CA 18-24 on a 25% canary | roll back model<br>threshold canary<br>rule fallback |"), md);
        assertTrue(md.contains("| DETECT | cohort monitors for age x region | dana | 2020-01-15 | a replay of seed 000 pages within 30 min | **OVERDUE** |"), md);
        assertTrue(md.contains("- INCIDENT_COMMANDER: ian"), md);
        assertTrue(md.contains("threshold canary (PLANNED, rollout r-threshold-ca, owner mel)"), md);
        assertTrue(md.contains("## Timeline (event time, UTC)"), md);
    }

    @Test
    void anActionItemIsEditedWithChecksAuditedAndStaysSurfacedWhileOverdue() {
        String id = open("action item edit target", "2026-11-27T10:00:00Z");
        String other = open("another incident", "2026-11-27T10:00:00Z");
        String itemId = given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("kind", "DETECT", "description", "alert on cohort IAR", "owner", "dana",
                        "due_date", "2020-01-15", "verification", "a replay of seed 000 pages within 30 min"))
                .post("/incidents/" + id + "/action-items").then().statusCode(201).body("overdue", equalTo(true))
                .extract().path("id");
        String item = "/incidents/" + id + "/action-items/" + itemId;
        int auditBefore = given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then().extract()
                .jsonPath().getList("$").size();

        // Each refusal names its field and changes nothing.
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"owner\":\"ann smith\"}", "owner");
        bad.put("{\"owner\":null}", "owner");
        bad.put("{\"due_date\":\"soon\"}", "due_date");
        bad.put("{\"due_date\":20261201}", "due_date");
        bad.put("{\"status\":\"FINISHED\"}", "status");
        bad.put("{\"verification\":\"  \"}", "verification");
        bad.put("{\"owner\":\"eve\",\"kind\":\"PREVENT\"}", "kind");
        bad.put("{}", "body");
        bad.put("[]", "body");
        bad.put("{not json", "body");
        bad.forEach((body, field) -> given().header("Authorization", OPERATOR).contentType("application/json")
                .body(body).patch(item).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo(field)));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("owner", "eve"))
                .patch("/incidents/" + id + "/action-items/not-a-uuid").then().statusCode(400)
                .body("field", equalTo("item_id"));
        given().header("Authorization", VIEWER).get("/incidents/" + id + "/action-items").then()
                .body("[0].owner", equalTo("dana")).body("[0].due_date", equalTo("2020-01-15"));
        assertEquals(auditBefore, given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then()
                .extract().jsonPath().getList("$").size(), "nothing half-written");

        // 404: no such item, the item of another incident, no such incident; 401 and 403.
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("owner", "eve"))
                .patch("/incidents/" + id + "/action-items/" + SOME_ID).then().statusCode(404)
                .contentType("application/problem+json").body("field", equalTo("item_id"));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("owner", "eve"))
                .patch("/incidents/" + other + "/action-items/" + itemId).then().statusCode(404)
                .body("field", equalTo("item_id"));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("owner", "eve"))
                .patch("/incidents/" + SOME_ID + "/action-items/" + itemId).then().statusCode(404)
                .body("field", equalTo("id"));
        given().contentType("application/json").body(Map.of("owner", "eve")).patch(item).then().statusCode(401);
        given().header("Authorization", VIEWER).contentType("application/json").body(Map.of("owner", "eve"))
                .patch(item).then().statusCode(403);

        // A new owner and a later due date: no longer overdue, and the audit says who changed what.
        given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("owner", "eve", "due_date", "2099-06-01")).patch(item).then().statusCode(200)
                .body("owner", equalTo("eve")).body("due_date", equalTo("2099-06-01")).body("overdue", equalTo(false))
                .body("kind", equalTo("DETECT")).body("description", equalTo("alert on cohort IAR"));
        assertTrue(!overdueIds().contains(itemId));
        var audit = given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then().extract()
                .jsonPath();
        assertEquals("olga", audit.getString("find { it.action == 'action-item-updated' }.actor"));
        assertEquals("DETECT: alert on cohort IAR (owner: dana -> eve; due_date: 2020-01-15 -> 2099-06-01)",
                audit.getString("find { it.action == 'action-item-updated' }.detail"));

        // Due in the past again: surfaced; done: not; reopened: surfaced again.
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("due_date", "2020-02-01"))
                .patch(item).then().statusCode(200).body("overdue", equalTo(true));
        assertTrue(overdueIds().contains(itemId));
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("status", "done"))
                .patch(item).then().statusCode(200).body("overdue", equalTo(false))
                .body("done_at", org.hamcrest.Matchers.notNullValue());
        assertTrue(!overdueIds().contains(itemId));
        String md = given().header("Authorization", VIEWER).get("/incidents/" + id + "/postmortem").then()
                .statusCode(200).extract().asString();
        assertTrue(md.contains("| DETECT | alert on cohort IAR | eve | 2020-02-01 | a replay of seed 000 pages within 30 min"
                + " | done "), md);
        given().header("Authorization", OPERATOR).contentType("application/json").body(Map.of("status", "OPEN"))
                .patch(item).then().statusCode(200).body("overdue", equalTo(true))
                .body("done_at", org.hamcrest.Matchers.nullValue());
        assertTrue(overdueIds().contains(itemId));
        List<String> actions = given().header("Authorization", VIEWER).get("/incidents/" + id + "/audit").then()
                .extract().jsonPath().getList("findAll { it.action == 'action-item-updated' }.detail");
        assertEquals(List.of(
                "DETECT: alert on cohort IAR (owner: dana -> eve; due_date: 2020-01-15 -> 2099-06-01)",
                "DETECT: alert on cohort IAR (due_date: 2099-06-01 -> 2020-02-01)",
                "DETECT: alert on cohort IAR (status: OPEN -> DONE)",
                "DETECT: alert on cohort IAR (status: DONE -> OPEN)"), actions);
    }

    private static List<String> overdueIds() {
        return given().header("Authorization", VIEWER).get("/action-items?overdue=true").then().statusCode(200)
                .extract().jsonPath().getList("id");
    }
}
