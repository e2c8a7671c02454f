package io.vigil.features.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
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
 * Who may call feature-service's REST API, over the real HTTP port with real signed tokens: producers push, viewers
 * read, operators see the quarantine (raw payloads) and replay it, admins change contracts; 401 for a missing or bad
 * token, 403 for a role that does not allow the call. Audits name the token's subject whatever header the caller adds,
 * and no token reaches a log line.
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
            return List.of(new TestResourceEntry(VigilInfrastructure.class, Map.of("database", "vigil_features_auth")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** One row of the table: a call, the Authorization header it carries (null: none), and the status expected. */
    record Call(String name, String method, String path, String contentType, String body, String authorization,
            int status) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Call> calls() {
        String json = "application/json";
        String batch = batch("acct-" + UUID.randomUUID(), "{\"account_age_days\": 40}");
        String badContract = "feature_set: x\nversion: 1\nfeatures: [{name: a, entity: account, type: int, freshness: PT1H}]";
        return Stream.of(
                new Call("no token pushes features", "POST", "/features/batch", json, batch, null, 401),
                new Call("not a JWT", "GET", "/contracts", null, null, "Bearer e30.e30.e30", 401),
                new Call("empty bearer", "GET", "/contracts", null, null, "Bearer ", 401),
                new Call("signed by an untrusted key", "GET", "/contracts", null, null,
                        "Bearer " + TestTokens.wrongSignature("viewer", "vic"), 401),
                new Call("expired", "GET", "/contracts", null, null, "Bearer " + TestTokens.expired("viewer", "vic"), 401),
                new Call("another issuer", "GET", "/contracts", null, null,
                        "Bearer " + TestTokens.wrongIssuer("viewer", "vic"), 401),
                new Call("no token reads the quarantine", "GET", "/quarantine", null, null, null, 401),
                new Call("operator pushes features", "POST", "/features/batch", json, batch,
                        TestTokens.bearer("operator", "olga"), 403),
                new Call("admin pushes features", "POST", "/features/batch", json, batch,
                        TestTokens.bearer("admin", "ada"), 403),
                new Call("producer reads the quarantine", "GET", "/quarantine", null, null,
                        TestTokens.bearer("producer", "etl"), 403),
                new Call("viewer reads the quarantine (raw payloads)", "GET", "/quarantine", null, null,
                        TestTokens.bearer("viewer", "vic"), 403),
                new Call("viewer replays the quarantine", "POST", "/quarantine/replay", json, "{}",
                        TestTokens.bearer("viewer", "vic"), 403),
                new Call("operator registers a contract", "POST", "/contracts", "application/yaml", badContract,
                        TestTokens.bearer("operator", "olga"), 403),
                new Call("viewer evaluates feature health", "POST", "/health/features/evaluate", null, null,
                        TestTokens.bearer("viewer", "vic"), 403),
                new Call("producer reads drift", "GET", "/drift", null, null, TestTokens.bearer("producer", "etl"), 403),
                new Call("producer pushes features", "POST", "/features/batch", json, batch,
                        TestTokens.bearer("producer", "etl"), 200),
                new Call("viewer reads contracts", "GET", "/contracts", null, null, TestTokens.bearer("viewer", "vic"), 200),
                new Call("viewer reads feature health", "GET", "/health/features", null, null,
                        TestTokens.bearer("viewer", "vic"), 200),
                new Call("viewer reads drift", "GET", "/drift", null, null, TestTokens.bearer("viewer", "vic"), 200),
                new Call("operator reads the quarantine", "GET", "/quarantine", null, null,
                        TestTokens.bearer("operator", "olga"), 200),
                new Call("admin includes operator", "GET", "/quarantine", null, null, TestTokens.bearer("admin", "ada"), 200),
                // Past authorization, the contract itself is judged: 400 naming the field, not 401/403.
                new Call("admin registers an invalid contract", "POST", "/contracts", "application/yaml", badContract,
                        TestTokens.bearer("admin", "ada"), 400));
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
    void shouldRecordTheTokensSubjectAsWhoRegisteredAContract() throws Exception {
        List<Integer> versions = api("viewer", "vic").get("/contracts").then().statusCode(200).extract().jsonPath()
                .getList("checkout-features", Integer.class);
        int next = Collections.max(versions) + 1;
        String contract = contractV1().replace("version: 1", "version: " + next);
        api("admin", "ada").header("X-Vigil-Actor", "mallory").contentType("application/yaml")
                .body(contract.getBytes(StandardCharsets.UTF_8)).post("/contracts")
                .then().statusCode(201).body("feature_set_version", equalTo("checkout-features@" + next));
        assertEquals("ada", queryOne("SELECT registered_by FROM feature_set_version WHERE name = ? AND version = ?",
                "checkout-features", next));
    }

    @Test
    void shouldRecordTheTokensSubjectAsWhoReplayedTheQuarantine() {
        String account = "acct-" + UUID.randomUUID();
        // country XX is outside the contract's values: REJECTed into the quarantine
        api("producer", "etl").contentType("application/json").body(batch(account, "{\"country\": \"XX\"}"))
                .post("/features/batch").then().statusCode(200).body("rejected", equalTo(1));
        api("operator", "olga").header("X-Vigil-Actor", "mallory").contentType("application/json")
                .body("{\"feature\": \"country\"}").post("/quarantine/replay").then().statusCode(200);
        List<String> replayedBy = api("operator", "olga").queryParam("feature", "country").queryParam("limit", 1000)
                .get("/quarantine").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.entity_id == '" + account + "' }.replayed_by", String.class);
        assertEquals(List.of("olga"), replayedBy);
    }

    @Test
    void shouldNeverLogATokenItRefusesOrAccepts() {
        List<Call> withTokens = calls().filter(c -> c.authorization() != null && c.authorization().length() > 20).toList();
        List<String> lines;
        try (CapturedLog log = CapturedLog.start()) {
            for (Call call : withTokens) {
                send(call).then().statusCode(call.status());
            }
            lines = log.lines();
        }
        assertFalse(lines.isEmpty(), "the capture saw no log line at all (the JWT categories log at DEBUG in tests)");
        for (Call call : withTokens) {
            String credential = call.authorization().substring("Bearer ".length());
            String signature = credential.substring(credential.lastIndexOf('.') + 1);
            for (String line : lines) {
                assertFalse(line.contains(credential), call.name() + ": token in log line: " + line);
                if (signature.length() >= 16) {
                    assertFalse(line.contains(signature), call.name() + ": token signature in log line: " + line);
                }
            }
        }
        assertTrue(withTokens.size() >= 15, "the table holds the token cases");
    }

    private static Response send(Call call) {
        RequestSpecification request = given();
        if (call.authorization() != null) {
            request.header("Authorization", call.authorization());
        }
        if (call.body() != null) {
            request.contentType(call.contentType()).body(call.body().getBytes(StandardCharsets.UTF_8));
        }
        return request.request(call.method(), call.path());
    }

    private static RequestSpecification api(String role, String subject) {
        return given().header("Authorization", TestTokens.bearer(role, subject));
    }

    private static String batch(String account, String fields) {
        return "{\"producer\": \"account-profile\", \"updates\": [{\"event_id\": \"" + UUID.randomUUID()
                + "\", \"entity\": {\"type\": \"account\", \"id\": \"" + account + "\"}, \"event_time\": \""
                + Instant.now().minusSeconds(30) + "\", \"fields\": " + fields + "}]}";
    }

    private static String contractV1() throws IOException {
        try (InputStream in = OperatorAuthTest.class.getResourceAsStream("/feature-contracts/checkout-features-v1.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String queryOne(String sql, String name, int version) throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties props = new Properties();
        props.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), props);
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            s.setInt(2, version);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "no row for " + name + "@" + version);
                return rs.getString(1);
            }
        }
    }
}
