package io.vigil.scoring.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.CapturedLog;
import io.vigil.testing.security.TestTokens;

/**
 * Who may call scoring-service's REST API, over the real HTTP port with real signed tokens: 401 for a missing or bad
 * token, 403 for a role that does not allow the call, 2xx for one that does; the audit names the token's subject
 * whatever header the caller adds; no token ever reaches a log line.
 */
@QuarkusTest
@TestProfile(OperatorAuthTest.OwnDatabase.class)
class OperatorAuthTest {

    /**
     * Its own Kafka and database, instead of the other test classes' (a {@code @QuarkusTestResource} would apply to
     * every test class of the module): what this class creates must not show in their exact lists.
     */
    public static class OwnDatabase implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(VigilInfrastructure.class, Map.of("database", "vigil_scoring_auth")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** One row of the table: a call, the Authorization header it carries (null: none), and the status expected. */
    record Call(String name, String method, String path, String body, String authorization, int status) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Call> calls() {
        String newPolicy = "/policies";
        return Stream.of(
                new Call("no token", "POST", newPolicy, policy(), null, 401),
                new Call("not a JWT", "POST", newPolicy, policy(), "Bearer not.a.jwt", 401),
                new Call("not a bearer scheme", "POST", newPolicy, policy(), "Basic YWxpY2U6c2VjcmV0", 401),
                new Call("signed by an untrusted key", "POST", newPolicy, policy(),
                        "Bearer " + TestTokens.wrongSignature("operator", "alice"), 401),
                new Call("expired", "POST", newPolicy, policy(), "Bearer " + TestTokens.expired("operator", "alice"), 401),
                new Call("another issuer", "POST", newPolicy, policy(),
                        "Bearer " + TestTokens.wrongIssuer("operator", "alice"), 401),
                new Call("no token reads the audit", "GET", "/policies/audit", null, null, 401),
                new Call("viewer creates a policy", "POST", newPolicy, policy(), TestTokens.bearer("viewer", "vic"), 403),
                new Call("viewer activates a model", "POST", "/models/tiny-2tree/activate", "{\"role\": \"CHAMPION\"}",
                        TestTokens.bearer("viewer", "vic"), 403),
                new Call("viewer registers a model", "POST", "/models", "{\"version\": \"x\", \"path\": \"tiny/model.json\"}",
                        TestTokens.bearer("viewer", "vic"), 403),
                new Call("producer reads policies", "GET", "/policies", null, TestTokens.bearer("producer", "etl"), 403),
                new Call("viewer reads policies", "GET", "/policies", null, TestTokens.bearer("viewer", "vic"), 200),
                new Call("viewer reads the active policy", "GET", "/policies/active", null,
                        TestTokens.bearer("viewer", "vic"), 200),
                new Call("viewer reads models", "GET", "/models", null, TestTokens.bearer("viewer", "vic"), 200),
                new Call("operator creates a policy", "POST", newPolicy, policy(), TestTokens.bearer("operator", "olga"), 201),
                new Call("admin includes operator", "POST", newPolicy, policy(), TestTokens.bearer("admin", "ada"), 201));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldAnswerEachCallerAsItsTokenAllows(Call call) {
        ValidatableResponse response = send(call).then().statusCode(call.status());
        if (call.status() == 401) {
            response.contentType("application/problem+json").body("status", equalTo(401))
                    .body("title", equalTo("Unauthorized")).header("WWW-Authenticate", startsWith("Bearer"));
        } else if (call.status() == 403) {
            response.contentType("application/problem+json").body("status", equalTo(403))
                    .body("title", equalTo("Forbidden"));
        }
    }

    @Test
    void shouldAuditTheTokensSubjectNotTheActorHeader() {
        String version = "auth-" + UUID.randomUUID().toString().substring(0, 8);
        api("operator", "alice").header("X-Vigil-Actor", "mallory").contentType("application/json")
                .body(policy(version)).post("/policies")
                .then().statusCode(201).body("created_by", equalTo("alice"));
        api("operator", "bob").header("X-Vigil-Actor", "mallory").contentType("application/json")
                .body("{\"reason\": \"roll out\"}").post("/policies/" + version + "/activate")
                .then().statusCode(200);
        List<String> actors = api("viewer", "vic").get("/policies/audit").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.policy_version == '" + version + "' }.actor", String.class);
        assertEquals(List.of("alice", "bob"), actors);
    }

    @Test
    void shouldNeverLogATokenItRefusesOrAccepts() {
        List<Call> withTokens = calls().filter(c -> c.authorization() != null).toList();
        List<String> lines;
        try (CapturedLog log = CapturedLog.start()) {
            for (Call call : withTokens) {
                send(call).then().statusCode(call.status());
            }
            lines = log.lines();
        }
        assertFalse(lines.isEmpty(), "the capture saw no log line at all (the JWT categories log at DEBUG in tests)");
        for (Call call : withTokens) {
            String credential = call.authorization().substring(call.authorization().indexOf(' ') + 1);
            // The signature is what makes a token usable: neither it nor the whole token may appear anywhere.
            String signature = credential.contains(".") ? credential.substring(credential.lastIndexOf('.') + 1) : credential;
            for (String line : lines) {
                assertFalse(line.contains(credential), call.name() + ": token in log line: " + line);
                if (signature.length() >= 16) {
                    assertFalse(line.contains(signature), call.name() + ": token signature in log line: " + line);
                }
            }
        }
        assertTrue(withTokens.size() >= 10, "the table holds the token cases");
    }

    private static Response send(Call call) {
        RequestSpecification request = given();
        if (call.authorization() != null) {
            request.header("Authorization", call.authorization());
        }
        if (call.body() != null) {
            request.contentType("application/json").body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    private static RequestSpecification api(String role, String subject) {
        return given().header("Authorization", TestTokens.bearer(role, subject));
    }

    private static String policy() {
        return policy("auth-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String policy(String version) {
        return "{\"version\": \"" + version + "\", \"reason\": \"who may change thresholds\", \"rules\": "
                + "[{\"name\": \"default\", \"step_up\": 0.3, \"review\": 0.6, \"decline\": 0.9}]}";
    }
}
