package io.vigil.incident.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.incident.communication.ControllableCommunicationClock;
import io.vigil.incident.communication.TestIncidents;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * The public status page over real HTTP and PostgreSQL: open without a token, JSON and Atom (parsed as XML) with public
 * fields only, whatever hostile content the incident holds; component states with flaps suppressed on a controllable
 * clock.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class StatusPageTest {

    static final String ATOM_NS = "http://www.w3.org/2005/Atom";

    /** Internal content an incident may hold; none of it may reach a public surface. */
    static final List<String> HOSTILE = List.of("3f2c9a1e-7b4d-4e2f-9a6b-0c1d2e3f4a5b", "r-42", "rollout-77",
            "xgb-v12", "model_v2.3", "18-24", "age_band", "country=CA", "jane.doe@example.com", "4111 1111 1111 1111",
            "4111111111111111", "10.2.3.4", "feature-store-shard-7", "<script>", "Jane Doe", "INCORRECT_APPROVAL_RATE");

    @Inject
    ControllableCommunicationClock clock;
    @Inject
    StatusBoard board;

    @AfterEach
    void wallTime() {
        clock.set(null);
    }

    @Test
    void shouldShowAComponentsNewStateOnlyAfterItHeld() {
        Instant t0 = Instant.parse("2032-01-10T09:00:00Z");
        clock.set(t0);
        assertEquals("OPERATIONAL", statusOf(board.refresh().await().indefinitely(), "payments-zz"));

        UUID id = TestIncidents.open("Declines in ZZ", "SEV1", t0, "payments-zz", 100, 200, 5000, 0.01);
        clock.set(t0.plus(Duration.ofMinutes(1)));
        assertEquals("OPERATIONAL", statusOf(board.refresh().await().indefinitely(), "payments-zz"),
                "worse state measured for 0 of 2 minutes");
        clock.set(t0.plus(Duration.ofSeconds(179)));
        assertEquals("OPERATIONAL", statusOf(board.refresh().await().indefinitely(), "payments-zz"));
        clock.set(t0.plus(Duration.ofMinutes(3)));
        assertEquals("MAJOR_OUTAGE", statusOf(board.refresh().await().indefinitely(), "payments-zz"),
                "held 2 minutes since minute 1");
        given().when().get("/status.json").then().statusCode(200)
                .body("components.find { it.id == 'payments-zz' }.status", equalTo("MAJOR_OUTAGE"))
                .body("components.find { it.id == 'payments-zz' }.since", equalTo("2032-01-10T09:01:00Z"))
                .body("overall_status", equalTo("MAJOR_OUTAGE"));

        // Resolved, then a wobble: recovery shows only after 10 minutes of uninterrupted good measurements.
        TestIncidents.set(id, "state", "RESOLVED");
        TestIncidents.set(id, "resolved_at", t0.plus(Duration.ofMinutes(4)));
        clock.set(t0.plus(Duration.ofMinutes(4)));
        board.refresh().await().indefinitely();
        TestIncidents.set(id, "state", "MONITORING");
        clock.set(t0.plus(Duration.ofMinutes(8)));
        assertEquals("MAJOR_OUTAGE", statusOf(board.refresh().await().indefinitely(), "payments-zz"));
        TestIncidents.set(id, "state", "RESOLVED");
        clock.set(t0.plus(Duration.ofMinutes(9)));
        board.refresh().await().indefinitely();
        clock.set(t0.plus(Duration.ofMinutes(18)));
        assertEquals("MAJOR_OUTAGE", statusOf(board.refresh().await().indefinitely(), "payments-zz"),
                "good since minute 9 only");
        clock.set(t0.plus(Duration.ofMinutes(19)));
        assertEquals("OPERATIONAL", statusOf(board.refresh().await().indefinitely(), "payments-zz"));
    }

    @Test
    void shouldServeThePageToAnyoneWithPublicFieldsOnly() throws Exception {
        Instant t0 = Instant.parse("2032-02-10T09:00:00Z");
        clock.set(t0);
        UUID id = TestIncidents.open("Rollback of rollout-77 (xgb-v12) for age_band 18-24 country=CA; Jane Doe "
                + "jane.doe@example.com card 4111 1111 1111 1111 <script>alert(1)</script>", "SEV2", t0,
                "payments-ca,feature-store-shard-7", 100, 200, 5000, 0.01);
        TestIncidents.execute("INSERT INTO mitigation_action (id, incident_id, description, rollout_id, status, owner,"
                + " created_at, updated_at) VALUES (?, ?, 'Rolled back rollout-77 for 3f2c9a1e-7b4d-4e2f-9a6b-0c1d2e3f4a5b',"
                + " 'rollout-77', 'DONE', 'Jane Doe', now(), now())", UUID.randomUUID(), id);
        clock.set(t0.plus(Duration.ofMinutes(10)));
        given().header("Authorization", TestTokens.bearer("operator", "olga")).contentType(ContentType.JSON)
                .body(Map.of("audience", "public-status-page", "body", "We rolled back rollout-77 (model_v2.3) for "
                        + "users aged 18-24 (age_band=18-24, country=CA); contact jane.doe@example.com, card "
                        + "4111111111111111, host 10.2.3.4. Payments are recovering."))
                .when().post("/incidents/" + id + "/updates").then().statusCode(201);

        String json = given().when().get("/status.json").then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();
        String html = given().when().get("/status").then().statusCode(200).contentType("text/html")
                .extract().asString();
        String atom = given().header("Authorization", "Bearer not-a-token").when().get("/status.atom").then()
                .statusCode(200).contentType("application/atom+xml").extract().asString();
        String publicDraft = given().header("Authorization", TestTokens.bearer("viewer", "vic"))
                .when().get("/incidents/" + id + "/drafts/public-status-page").then().statusCode(200)
                .body("redacted", equalTo(true)).extract().jsonPath().getString("text");
        String merchantDraft = given().header("Authorization", TestTokens.bearer("viewer", "vic"))
                .when().get("/incidents/" + id + "/drafts/merchants").then().statusCode(200)
                .extract().jsonPath().getString("text");
        for (String surface : List.of(json, html, atom, publicDraft, merchantDraft)) {
            for (String fragment : HOSTILE) {
                assertFalse(surface.contains(fragment), "'" + fragment + "' leaked into:\n" + surface);
            }
            assertFalse(surface.contains(id.toString()), "internal id leaked");
        }

        JsonPath page = new JsonPath(json);
        // The public reference: the first 4 bytes of SHA-256("vigil-public-incident:" + id), computed here apart.
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(("vigil-public-incident:" + id).getBytes(StandardCharsets.UTF_8));
        String reference = String.format("INC-%02X%02X%02X%02X", digest[0], digest[1], digest[2], digest[3]);
        assertEquals(List.of("Payments (CA)"),
                page.getList("incidents.find { it.reference == '" + reference + "' }.components"));
        assertEquals("Investigating degraded service affecting Payments (CA)",
                page.getString("incidents.find { it.reference == '" + reference + "' }.headline"));
        assertEquals("PARTIAL_OUTAGE", page.getString("incidents.find { it.reference == '" + reference + "' }.status"));
        String body = page.getString("incidents.find { it.reference == '" + reference + "' }.updates[0].body");
        assertTrue(body.endsWith("Payments are recovering."), body);
        assertTrue(html.contains("Investigating degraded service affecting Payments (CA)"), html);
        assertTrue(publicDraft.contains("Next update by 2032-02-10 10:10 UTC."), "SEV2 public page: 60 min after"
                + " the update: " + publicDraft);

        // The Atom feed is well-formed XML in the Atom namespace, one entry per incident, with the public fields.
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document feed = factory.newDocumentBuilder().parse(new ByteArrayInputStream(atom.getBytes(StandardCharsets.UTF_8)));
        assertEquals("feed", feed.getDocumentElement().getLocalName());
        assertEquals(ATOM_NS, feed.getDocumentElement().getNamespaceURI());
        NodeList entries = feed.getElementsByTagNameNS(ATOM_NS, "entry");
        Element entry = null;
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            if (text(e, "id").equals("urn:vigil:incident:" + reference)) {
                entry = e;
            }
        }
        assertTrue(entry != null, "no entry for " + reference + " in\n" + atom);
        assertEquals("Investigating degraded service affecting Payments (CA)", text(entry, "title"));
        assertEquals("2032-02-10T09:10:00Z", text(entry, "updated"), "its latest update");
        assertEquals("2032-02-10T09:00:00Z", text(entry, "published"));
        assertTrue(text(entry, "summary").contains("Payments are recovering."));
        Instant.parse(text(feed.getDocumentElement(), "updated"));
    }

    @Test
    void shouldRefuseOperatorEndpointsWithoutTheRole() {
        String someIncident = UUID.randomUUID().toString();
        record Case(String method, String path, String token, int status) {
        }
        List<Case> cases = List.of(
                new Case("POST", "/incidents/" + someIncident + "/updates", null, 401),
                new Case("POST", "/incidents/" + someIncident + "/updates", TestTokens.bearer("viewer", "v"), 403),
                new Case("POST", "/incidents/" + someIncident + "/updates", TestTokens.expired("operator", "o"), 401),
                new Case("GET", "/incidents/" + someIncident + "/updates", null, 401),
                new Case("GET", "/incidents/" + someIncident + "/update-clocks", null, 401),
                new Case("GET", "/incidents/" + someIncident + "/drafts/executives", null, 401),
                new Case("POST", "/webhooks/subscribers", null, 401),
                new Case("POST", "/webhooks/subscribers", TestTokens.bearer("operator", "o"), 403),
                new Case("GET", "/webhooks/subscribers", TestTokens.bearer("viewer", "v"), 403),
                new Case("GET", "/webhooks/deliveries", TestTokens.bearer("viewer", "v"), 403),
                new Case("GET", "/webhooks/deliveries", TestTokens.wrongSignature("operator", "o"), 401));
        for (Case c : cases) {
            var request = given().contentType(ContentType.JSON).body("{}");
            if (c.token() != null) {
                request = request.header("Authorization", c.token());
            }
            request.when().request(c.method(), c.path()).then().statusCode(c.status())
                    .contentType("application/problem+json");
        }
        // The public page stays open.
        given().when().get("/status").then().statusCode(200);
        given().when().get("/status.json").then().statusCode(200);
        given().when().get("/status.atom").then().statusCode(200);
    }

    @Test
    void shouldRefuseBadInputNamingTheField() {
        UUID id = TestIncidents.open("Bad input target", "SEV3", Instant.parse("2032-03-10T09:00:00Z"), "step-up",
                1, 2, 3, 0.0);
        String operator = TestTokens.bearer("operator", "o");
        String admin = TestTokens.bearer("admin", "a");
        record Case(String token, String method, String path, String body, int status, String field) {
        }
        String updates = "/incidents/" + id + "/updates";
        List<Case> cases = List.of(
                new Case(operator, "POST", updates, "{\"kind\":\"NO_CHANGE\"}", 400, "audience"),
                new Case(operator, "POST", updates, "{\"audience\":\"ceo\"}", 400, "audience"),
                new Case(operator, "POST", updates, "{\"audience\":7}", 400, "audience"),
                new Case(operator, "POST", updates, "{\"audience\":\"executives\",\"kind\":\"MAYBE\"}", 400, "kind"),
                new Case(operator, "POST", updates, "{\"audience\":\"executives\"}", 400, "body"),
                new Case(operator, "POST", updates, "{\"audience\":\"executives\",\"kind\":\"NO_CHANGE\","
                        + "\"next_decision\":\"x\",\"next_decision_at\":\"tomorrow\"}", 400, "next_decision_at"),
                new Case(operator, "POST", updates, "{\"audience\":\"executives\",\"kind\":\"NO_CHANGE\","
                        + "\"next_decision_at\":\"2032-03-10T10:00:00Z\"}", 400, "next_decision"),
                new Case(operator, "POST", updates, "{\"audience\":\"executives\",\"kind\":\"NO_CHANGE\",\"nxt\":1}",
                        400, "nxt"),
                new Case(operator, "POST", updates, "{not json", 400, "body"),
                new Case(operator, "POST", updates, "[]", 400, "body"),
                new Case(operator, "POST", "/incidents/not-a-uuid/updates", "{}", 400, "id"),
                new Case(operator, "POST", "/incidents/" + UUID.randomUUID() + "/updates",
                        "{\"audience\":\"executives\",\"kind\":\"NO_CHANGE\"}", 404, "id"),
                new Case(operator, "GET", "/incidents/" + id + "/drafts/ceo", null, 400, "audience"),
                new Case(operator, "GET", "/incidents/" + id + "/updates?audience=ceo", null, 400, "audience"),
                new Case(admin, "POST", "/webhooks/subscribers", "{\"url\":\"https://x.example/h\"}", 400, "name"),
                new Case(admin, "POST", "/webhooks/subscribers", "{\"name\":\"a\",\"url\":\"ftp://x.example/h\"}", 400,
                        "url"),
                new Case(admin, "POST", "/webhooks/subscribers",
                        "{\"name\":\"a\",\"url\":\"https://u:p@x.example/h\"}", 400, "url"),
                new Case(admin, "POST", "/webhooks/subscribers",
                        "{\"name\":\"a\",\"url\":\"https://x.example/h\",\"secret\":\"short\"}", 400, "secret"),
                new Case(admin, "POST", "/webhooks/subscribers",
                        "{\"name\":\"a\",\"url\":\"https://x.example/h\",\"audiences\":[\"ceo\"]}", 400, "audiences"),
                new Case(admin, "POST", "/webhooks/subscribers",
                        "{\"name\":\"a\",\"url\":\"https://x.example/h\",\"audiences\":[1]}", 400, "audiences[0]"),
                new Case(admin, "POST", "/webhooks/subscribers",
                        "{\"name\":\"a\",\"url\":\"https://x.example/h\",\"receives_reminders\":\"yes\"}", 400,
                        "receives_reminders"),
                new Case(operator, "GET", "/webhooks/deliveries?limit=0", null, 400, "limit"),
                new Case(operator, "GET", "/webhooks/deliveries?limit=abc", null, 400, "limit"),
                new Case(operator, "GET", "/webhooks/deliveries?status=LOST", null, 400, "status"));
        for (Case c : cases) {
            var request = given().header("Authorization", c.token());
            if (c.body() != null) {
                request = request.contentType(ContentType.JSON).body(c.body());
            }
            request.when().request(c.method(), c.path()).then()
                    .statusCode(c.status())
                    .contentType("application/problem+json")
                    .body("field", equalTo(c.field()));
        }
        // Nothing half-written: no update was recorded by the refused requests.
        given().header("Authorization", operator).when().get(updates).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    private static String statusOf(List<ComponentView> components, String id) {
        return components.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().status();
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(ATOM_NS, name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
