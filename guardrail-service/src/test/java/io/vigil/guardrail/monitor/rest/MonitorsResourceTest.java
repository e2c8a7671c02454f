package io.vigil.guardrail.monitor.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vigil.contracts.events.v1.BaselineSource;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.guardrail.monitor.counting.MonitorCount;
import io.vigil.guardrail.monitor.store.MonitorStore;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * The monitors in the running service against a real PostgreSQL and Kafka: counts written through the stream's sink
 * (as the topology does) are folded by the service's own rounds, the CA 18-24 incorrect-approval monitor alarms, the
 * alarm is published once on vigil.verdicts.v1 through the outbox with its evidence, and REST, the gauge and the chart
 * show it; bad input gets a problem naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_guardrail"))
class MonitorsResourceTest {

    static final String MONITOR = "incorrect_approval@country=CA,age=18-24";
    /** Far ahead of other tests' event time, so this test's partition is the newest and the others are not waited for. */
    static final Instant HOUR = Instant.parse("2031-07-10T10:00:00Z");

    @Inject
    MonitorStore store;

    KafkaBroker broker;
    TestDatabase database;

    @Test
    void shouldAlarmOnceOnTheVerdictsTopicAndShowItOverRestTheGaugeAndTheChart() throws Exception {
        // History: the 24 hours ending two hours before HOUR at 2.0% (10,000 approvals, 200 labels an hour); no
        // earlier weeks, so the baseline is the stated trailing fallback. HOUR itself: 222 approvals and 18 labels a
        // minute (8.1%), all counted by partition 0, whose stream time is 70 minutes past HOUR.
        List<MonitorCount> counts = new ArrayList<>();
        for (int h = 2; h <= 25; h++) {
            counts.add(new MonitorCount(MONITOR, MonitorCount.Granularity.HOUR,
                    HOUR.minus(Duration.ofHours(h)).toEpochMilli(), 0, 10_000, 200));
        }
        for (int m = 0; m < 60; m++) {
            counts.add(new MonitorCount(MONITOR, MonitorCount.Granularity.MINUTE,
                    HOUR.plus(Duration.ofMinutes(m)).toEpochMilli(), 0, 222, 18));
        }
        counts.add(new MonitorCount(MONITOR, MonitorCount.Granularity.HOUR, HOUR.toEpochMilli(), 0, 13_320, 1_080));
        store.write(counts, 0, HOUR.plus(Duration.ofMinutes(70)).toEpochMilli());

        // The service's rounds (every second in tests) fold the settled minutes and page.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state = "";
        while (System.nanoTime() < deadline && !state.equals("ALARM")) {
            Thread.sleep(500);
            state = as("viewer").get("/monitors/" + MONITOR).then().statusCode(200).extract().path("state");
        }
        assertEquals("ALARM", state);
        as("viewer").get("/monitors/" + MONITOR).then().statusCode(200)
                .body("cohort", equalTo("country=CA & age=18-24"))
                .body("metric", equalTo("incorrect_approval"))
                .body("baseline_source", equalTo("TRAILING"))
                .body("baseline", equalTo(0.02f))
                .body("on_list", equalTo(true))
                // The round folded through minute 64 (stream time 70 min past HOUR less the 5-min settle, the last
                // whole minute before it); its last 60 minutes, 5..64, hold 55 counted minutes: 55 x 222.
                .body("exposure", equalTo(12_210));

        List<ConsumerRecord<String, byte[]>> published = await("vigil.verdicts.v1", MONITOR, 1);
        assertEquals(1, published.size(), "published once");
        VerdictIssued alarm = VerdictIssued.parseFrom(published.get(0).value());
        assertEquals(VerdictKind.VERDICT_KIND_MONITOR_ALARM, alarm.getKind());
        assertEquals(MONITOR, alarm.getMonitorId());
        assertEquals(BaselineSource.BASELINE_SOURCE_TRAILING, alarm.getEvidence(0).getMonitor().getBaselineSource());
        assertEquals(0.02, alarm.getEvidence(0).getMonitor().getBaseline(), 1e-12);
        assertEquals(alarm.getVerdictId(), new String(published.get(0).headers().lastHeader("ce_id").value(),
                StandardCharsets.UTF_8));
        assertTrue(alarm.getReason().startsWith("alarm: incorrect_approval in country=CA & age=18-24"),
                alarm.getReason());
        assertEquals(1, count("SELECT count(*) FROM rollout_outbox WHERE event_key = '" + MONITOR + "'"));
        assertEquals(1, count("SELECT count(*) FROM monitor_alarm WHERE monitor_id = '" + MONITOR + "'"));

        // The list: alarmed first; filters.
        as("viewer").get("/monitors").then().statusCode(200).body("[0].id", equalTo(MONITOR))
                .body("$", hasSize(56));
        as("viewer").get("/monitors?state=ALARM&metric=incorrect_approval").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(MONITOR));
        as("viewer").get("/monitors?cohort=country=CA,age=18-24").then().statusCode(200).body("$", hasSize(7));
        // Gauge and chart.
        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "vigil_monitor_alarm{metric=\"incorrect_approval\",monitor=\"" + MONITOR + "\"} 1.0"));
        as("viewer").get("/monitors/" + MONITOR + "/chart.svg?hours=30").then().statusCode(200)
                .contentType("image/svg+xml").body(containsString("<svg"), containsString("<title>alarm "));
    }

    @Test
    void shouldAnswerBadInputWithAProblemNamingTheField() {
        as("viewer").get("/monitors/no_such@all").then().statusCode(404)
                .contentType("application/problem+json").body("field", equalTo("id"))
                .body("detail", containsString("no monitor 'no_such@all'"));
        as("viewer").get("/monitors/no_such@all/chart.svg").then().statusCode(404).body("field", equalTo("id"));
        as("viewer").get("/monitors?state=BROKEN").then().statusCode(400).body("field", equalTo("state"));
        as("viewer").get("/monitors?metric=chargebacks").then().statusCode(400).body("field", equalTo("metric"));
        as("viewer").get("/monitors?cohort=countri=CA").then().statusCode(400).body("field", equalTo("cohort"))
                .body("detail", containsString("unknown cohort attribute 'countri'"));
        as("viewer").get("/monitors/" + MONITOR + "/chart.svg?hours=0").then().statusCode(400)
                .body("field", equalTo("hours"));
        as("viewer").get("/monitors/" + MONITOR + "/chart.svg?hours=many").then().statusCode(400)
                .body("field", equalTo("hours"));
        given().get("/monitors").then().statusCode(401);
    }

    private static RequestSpecification as(String role) {
        return given().header("Authorization", TestTokens.bearer(role, role + "-person@example"));
    }

    private long count(String sql) throws Exception {
        try (Connection c = database.server().connect(database.name()); PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The records of one key on a topic, from the start, once at least {@code count} arrived (and 2 s after). */
    private List<ConsumerRecord<String, byte[]>> await(String topic, String key, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "monitors-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                }
                if (found.size() >= count && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return found;
    }
}
