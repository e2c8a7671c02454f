package io.vigil.incident;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.events.v1.FeatureHealthChanged;
import io.vigil.contracts.events.v1.FeatureHealthMetric;
import io.vigil.contracts.events.v1.FeatureHealthState;
import io.vigil.contracts.events.v1.FeatureSegment;
import io.vigil.contracts.events.v1.RolloutState;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.RolloutTarget;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/** Grouping (key + event-time window), folding of repeated alarms, idempotency, and rollouts linked to mitigations. */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class IngestGroupingTest {

    static final String VIEWER = TestTokens.bearer("viewer", "vera");
    static final String OPERATOR = TestTokens.bearer("operator", "olga");
    static EventSender sender;

    @BeforeAll
    static void connect() {
        sender = new EventSender();
    }

    @AfterAll
    static void disconnect() {
        sender.close();
    }

    static FeatureHealthChanged health(String feature, String segmentValue, FeatureHealthState state, Instant at) {
        return FeatureHealthChanged.newBuilder().setFeature(feature).setFeatureSetVersion("checkout-features@1")
                .setSegment(FeatureSegment.newBuilder().setAttribute("login_method").setValue(segmentValue))
                .setMetric(FeatureHealthMetric.FEATURE_HEALTH_METRIC_DEFAULT_RATE).setState(state).setValue(0.97)
                .setAlarmLevel(0.05).setReferenceValue(0.01).setWindowCount(5000).setDetectedAt(ProtoTime.of(at))
                .setDetail("default rate 0.97 vs reference 0.01").build();
    }

    static List<Map<String, Object>> byKey(String key) {
        List<Map<String, Object>> all = given().header("Authorization", VIEWER).get("/incidents").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(i -> key.equals(i.get("grouping_key"))).toList();
    }

    @Test
    void repeatedAlarmsFoldIntoOneIncidentAndOneEntryWithinTheWindowOnly() {
        String feature = "email_domain_age_days";
        String key = "feature:" + feature + "|login_method=social";
        // a record that is no FeatureHealthChanged first: skipped, the partition keeps flowing
        sender.sendRaw(EventTopics.FEATURE_HEALTH, feature, new byte[] {(byte) 0xff, 0x01, 0x02},
                new CloudEventHeaders("garbage-1", "//vigil/feature-service", "vigil.events.v1.FeatureHealthChanged",
                        Instant.parse("2026-11-28T00:59:00Z"), CloudEventHeaders.PROTOBUF));
        CloudEventHeaders first = new CloudEventHeaders("fh-" + System.nanoTime(), "//vigil/feature-service",
                "vigil.events.v1.FeatureHealthChanged", Instant.parse("2026-11-28T01:00:00Z"), CloudEventHeaders.PROTOBUF);
        FeatureHealthChanged alarm1 = health(feature, "social", FeatureHealthState.FEATURE_HEALTH_STATE_ALARM,
                Instant.parse("2026-11-28T01:00:00Z"));
        sender.send(EventTopics.FEATURE_HEALTH, feature, first, alarm1);
        sender.send(EventTopics.FEATURE_HEALTH, feature, "feature-service", health(feature, "social",
                FeatureHealthState.FEATURE_HEALTH_STATE_ALARM, Instant.parse("2026-11-28T01:10:00Z")),
                Instant.parse("2026-11-28T01:10:00Z"));
        sender.send(EventTopics.FEATURE_HEALTH, feature, first, alarm1); // redelivery
        sender.send(EventTopics.FEATURE_HEALTH, feature, "feature-service", health(feature, "password",
                FeatureHealthState.FEATURE_HEALTH_STATE_ALARM, Instant.parse("2026-11-28T01:05:00Z")),
                Instant.parse("2026-11-28T01:05:00Z"));
        sender.send(EventTopics.FEATURE_HEALTH, feature, "feature-service", health(feature, "social",
                FeatureHealthState.FEATURE_HEALTH_STATE_RECOVERED, Instant.parse("2026-11-28T01:40:00Z")),
                Instant.parse("2026-11-28T01:40:00Z"));

        String id = Await.until("the folded alarm and the recovery", () -> {
            List<Map<String, Object>> l = byKey(key);
            if (l.size() != 1) {
                return null;
            }
            String incident = (String) l.get(0).get("id");
            var tl = given().header("Authorization", VIEWER).get("/incidents/" + incident + "/timeline").then().extract()
                    .jsonPath();
            return tl.getList("kind").contains("FEATURE_HEALTH") && tl.getInt("find { it.kind == 'ALARM' }.count") == 2
                    ? incident : null;
        });
        var tl = given().header("Authorization", VIEWER).get("/incidents/" + id + "/timeline").then().extract().jsonPath();
        assertEquals(1, tl.getList("findAll { it.kind == 'ALARM' }").size());
        assertEquals("2026-11-28T01:00:00Z", tl.getString("find { it.kind == 'ALARM' }.first_seen"));
        assertEquals("2026-11-28T01:10:00Z", tl.getString("find { it.kind == 'ALARM' }.last_seen"));
        var incident = given().header("Authorization", VIEWER).get("/incidents/" + id).then().extract().jsonPath();
        assertEquals("SEV4", incident.getString("severity"), "a feature alarm measures no harm of its own");
        assertEquals(1, Await.until("the other segment's incident",
                () -> byKey("feature:" + feature + "|login_method=password").size() == 1 ? 1 : null));

        // the same alarm 6h 10min after the last one is outside the 6h grouping window: a new incident
        sender.send(EventTopics.FEATURE_HEALTH, feature, "feature-service", health(feature, "social",
                FeatureHealthState.FEATURE_HEALTH_STATE_ALARM, Instant.parse("2026-11-28T07:20:00Z")),
                Instant.parse("2026-11-28T07:20:00Z"));
        Await.until("a second incident for the key", () -> byKey(key).size() == 2);
    }

    @Test
    void aRolloutCarryingAMitigationMovesItAndLandsOnTheTimeline() {
        String id = given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("title", "canary mitigation", "severity", "SEV2", "components", List.of("checkout-risk-scoring"),
                        "occurred_at", "2026-11-28T10:00:00Z"))
                .post("/incidents").then().statusCode(201).extract().path("id");
        String mitigation = given().header("Authorization", OPERATOR).contentType("application/json")
                .body(Map.of("description", "threshold canary CA 18-24", "rollout_id", "r-canary-ca", "owner", "mel"))
                .post("/incidents/" + id + "/mitigations").then().statusCode(201).extract().path("id");
        sender.send(EventTopics.ROLLOUTS, "r-canary-ca", "guardrail-service", RolloutStateChanged.newBuilder()
                .setEventId("ro-1").setRolloutId("r-canary-ca").setState(RolloutState.ROLLOUT_STATE_ROLLED_BACK)
                .setPreviousState(RolloutState.ROLLOUT_STATE_ROLLING_BACK)
                .setTarget(RolloutTarget.newBuilder().setPolicyVersion("policy-ca-2"))
                .setChangedAt(ProtoTime.of(Instant.parse("2026-11-28T11:00:00Z"))).setActor("guardrail-service")
                .setReason("review queue above 80%").build(), Instant.parse("2026-11-28T11:00:00Z"));
        String status = Await.until("the mitigation to follow its rollout", () -> {
            String s = given().header("Authorization", VIEWER).get("/incidents/" + id + "/mitigations").then().extract()
                    .jsonPath().getString("find { it.id == '" + mitigation + "' }.status");
            return "DONE".equals(s) ? s : null;
        });
        assertEquals("DONE", status);
        String summary = given().header("Authorization", VIEWER).get("/incidents/" + id + "/timeline").then().extract()
                .jsonPath().getString("find { it.kind == 'ROLLOUT' }.summary");
        assertEquals("Rollout r-canary-ca ROLLING_BACK -> ROLLED_BACK (policy policy-ca-2), step 0 at share 0.0000 by "
                + "guardrail-service: review queue above 80%", summary);
    }
}
