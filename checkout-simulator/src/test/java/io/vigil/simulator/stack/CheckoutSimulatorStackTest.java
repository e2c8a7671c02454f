package io.vigil.simulator.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.simulator.auth.ServiceRefusedException;
import io.vigil.simulator.auth.ServiceTokens;
import io.vigil.simulator.run.Simulation;
import io.vigil.simulator.run.SimulationConfig;
import io.vigil.simulator.run.Summary;
import io.vigil.simulator.scenario.Scenario;
import io.vigil.simulator.scenario.ScenarioLoader;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.security.TestTokens;

/**
 * The simulator against the real stack: a Kafka broker process, PostgreSQL with a fresh database per service, and the
 * built feature-service and scoring-service jars as processes (build them first: the root build orders them before
 * this module). A 2-hour simulated baseline at speed 120 (about a minute of wall time) at a modest rate, then both
 * topics are read back: every payment has its DecisionMade and its outcomes, joined by transaction id, none unmatched.
 * The services verify bearer tokens with the test key ({@link TestTokens}); the simulator carries a producer token for
 * the feature batches and an operator token for a challenger, and a refused token stops a run before any Score call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The join reads both topics whole and counts every outcome on them, so it runs first, before other runs add theirs.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckoutSimulatorStackTest {

    private KafkaBroker broker;
    private PostgresLocator.Located postgres;
    private TestDatabase featureDb;
    private TestDatabase scoringDb;
    private QuarkusServiceProcess features;
    private QuarkusServiceProcess scoring;
    private int scoringGrpcPort;
    private Path publicKey;

    @BeforeAll
    void startStack() throws Exception {
        publicKey = TestTokens.publicKeyFile();
        broker = KafkaBroker.start();
        postgres = PostgresLocator.locate(System.getenv(), null, KafkaBroker.freePort());
        featureDb = TestDatabase.create(postgres.server(), "vigil_features_sim");
        scoringDb = TestDatabase.create(postgres.server(), "vigil_scoring_sim");
        int featuresGrpcPort = KafkaBroker.freePort();
        Map<String, String> featureConfig = new HashMap<>(database(featureDb));
        featureConfig.put("quarkus.grpc.server.port", Integer.toString(featuresGrpcPort));
        features = QuarkusServiceProcess.start("feature-service", QuarkusServiceProcess.builtJar("feature-service"),
                KafkaBroker.freePort(), featureConfig, Duration.ofSeconds(120));
        scoringGrpcPort = KafkaBroker.freePort();
        Map<String, String> scoringConfig = new HashMap<>(database(scoringDb));
        scoringConfig.put("quarkus.grpc.server.port", Integer.toString(scoringGrpcPort));
        scoringConfig.put("scoring.features.host", "127.0.0.1");
        scoringConfig.put("scoring.features.port", Integer.toString(featuresGrpcPort));
        scoringConfig.put("scoring.models.dir", Path.of("..", "models").toAbsolutePath().normalize().toString());
        scoring = QuarkusServiceProcess.start("scoring-service", QuarkusServiceProcess.builtJar("scoring-service"),
                KafkaBroker.freePort(), scoringConfig, Duration.ofSeconds(120));
    }

    /** The service's database and Kafka, and the test key and issuer its token verifier trusts. */
    private Map<String, String> database(TestDatabase db) {
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "quarkus.datasource.username", db.server().user(),
                "quarkus.datasource.password", db.server().password(),
                "quarkus.datasource.jdbc.url", db.server().jdbcUrl(db.name()),
                "quarkus.datasource.reactive.url", db.server().reactiveUrl(db.name()),
                "mp.jwt.verify.publickey.location", publicKey.toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER);
    }

    private static ServiceTokens tokens() {
        return new ServiceTokens(TestTokens.token("operator", "checkout-simulator"),
                TestTokens.token("producer", "checkout-simulator"));
    }

    /** A run of {@code scenario}: 2 s deadline, truth file in a temp file, progress captured. */
    private SimulationConfig config(String scoringTarget, Scenario scenario, double rate, Duration duration,
            String runId, ServiceTokens tokens, ByteArrayOutputStream progress) throws Exception {
        return new SimulationConfig(scoringTarget, scoring.baseUrl(), features.baseUrl(), broker.bootstrapServers(),
                scenario, rate, 120, duration, Instant.parse("2026-01-05T10:00:00Z"), 42, runId, true,
                Files.createTempFile("sim-truth-", ".jsonl"), Duration.ofSeconds(2), null, 100_000,
                Duration.ofHours(1), new PrintStream(progress, true), false, tokens);
    }

    @AfterAll
    void stopStack() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {scoring, features, scoringDb, featureDb, postgres, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void shouldJoinEveryPaymentsDecisionAndOutcomesByTransactionId() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        SimulationConfig config = config("127.0.0.1:" + scoringGrpcPort,
                ScenarioLoader.load("baseline", Path.of("scenarios")), 15, Duration.ofHours(2), "stack", tokens(),
                progress);
        Path truthFile = config.truthFile();

        Summary summary = new Simulation(config).run();
        io.vigil.simulator.SimulateCommandAccess.print(summary, truthFile, System.out);

        // What the simulator says it did.
        assertTrue(summary.payments() > 1_000, "payments: " + summary);
        assertEquals(0, summary.outcomes().dropped(), summary.toString());
        assertEquals(0, summary.outcomes().undelivered(), summary.toString());
        assertEquals(0, summary.outcomesBeyondEnd(), "--labels-now emits everything");
        assertEquals(summary.outcomesPlanned(), summary.outcomes().sent());
        assertEquals(0, summary.featureValuesRejected(), "no seeded feature value was quarantined");
        assertEquals(0, summary.featureCallsFailed());
        // Four producers per payment, three for voice orders (no device).
        assertTrue(summary.featureUpdatesApplied() >= 3 * summary.payments(), summary.toString());

        // The truth file: one line per payment, with the decision the checkout acted on.
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> payments = new HashMap<>();
        List<JsonNode> changes = new ArrayList<>();
        int windows = 0;
        Set<String> windowKeys = new HashSet<>();
        for (String line : Files.readAllLines(truthFile)) {
            JsonNode n = json.readTree(line);
            switch (n.get("type").asText()) {
                case "payment" -> payments.put(n.get("transaction_id").asText(), n);
                case "change" -> changes.add(n);
                case "window" -> {
                    windows++;
                    assertTrue(windowKeys.add(n.get("time").asText() + " " + n.get("cohort").asText()),
                            "each cohort's window is written once: " + n);
                }
                default -> {
                }
            }
        }
        assertEquals(summary.payments(), payments.size());
        assertTrue(changes.isEmpty(), "baseline injects nothing");
        assertTrue(windows >= 2 * 4, "two hourly windows with at least four cohort lines each");

        Map<String, DecisionMade> decisions = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(EventTopics.DECISIONS, payments.size())) {
            DecisionMade d = DecisionMade.parseFrom(r.value());
            if (payments.containsKey(d.getTransactionId())) {
                decisions.put(d.getTransactionId(), d);
            }
        }
        Map<String, List<OutcomeRecorded>> outcomes = new HashMap<>();
        int unmatched = 0;
        int outcomeCount = 0;
        for (ConsumerRecord<String, byte[]> r : readAll(EventTopics.OUTCOMES, (int) summary.outcomes().sent())) {
            OutcomeRecorded o = OutcomeRecorded.parseFrom(r.value());
            CloudEventHeaders headers = CloudEventHeaders.readFrom(r.headers());
            assertEquals(ProtoTime.toInstant(o.getOccurredAt()), headers.time(), "ce_time is the event time");
            assertEquals(o.getTransactionId(), r.key());
            if (!decisions.containsKey(o.getTransactionId())) {
                unmatched++;
            }
            outcomes.computeIfAbsent(o.getTransactionId(), k -> new ArrayList<>()).add(o);
            outcomeCount++;
        }
        assertEquals(summary.outcomes().sent(), outcomeCount);
        assertEquals(0, unmatched, "outcomes without a decision");
        assertEquals(payments.keySet(), decisions.keySet(), "every payment has its DecisionMade");

        Set<String> checked = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : payments.entrySet()) {
            JsonNode truth = e.getValue();
            DecisionMade d = decisions.get(e.getKey());
            List<OutcomeRecorded> os = outcomes.getOrDefault(e.getKey(), List.of());
            assertEquals(truth.get("outcomes").asInt(), os.size(), "outcomes of " + e.getKey());
            if (truth.get("score_error").isNull()) {
                assertEquals(truth.get("decision").asText(), d.getDecision().name(), "the checkout acted on Score");
            }
            boolean declined = "DECISION_DECLINE".equals(truth.get("decision").asText());
            assertEquals(declined, os.isEmpty(), "a decline has no outcome, anything else has one: " + e.getKey());
            // From the request, always; from the served features, when scoring got them (not on a fallback).
            assertEquals(truth.get("channel").asText(), d.getAttributes().getChannel(), "sliceable without a join");
            if (!d.getFallback()) {
                assertEquals(truth.get("country").asText(), d.getAttributes().getCountry());
                assertEquals(truth.get("customer_age_band").asText(), d.getAttributes().getCustomerAgeBand());
            }
            assertEquals(Instant.parse(truth.get("time").asText()), ProtoTime.toInstant(d.getPaymentCreatedAt()));
            for (int i = 1; i < os.size(); i++) {
                assertTrue(!ProtoTime.toInstant(os.get(i).getOccurredAt())
                        .isBefore(ProtoTime.toInstant(os.get(i - 1).getOccurredAt())),
                        "per key in event-time order: " + os);
            }
            checked.add(e.getKey());
        }
        assertEquals(payments.size(), checked.size());
        String log = progress.toString();
        assertTrue(log.isEmpty() || log.contains("pay/s"), log);
    }

    @Test
    @Order(2)
    void shouldStopBeforeAnyScoreCallWhenFeatureServiceRefusesTheProducerToken() throws Exception {
        Scenario baseline = ScenarioLoader.load("baseline", Path.of("scenarios"));
        String operator = TestTokens.token("operator", "checkout-simulator");
        // 403: a valid token without the producer role; 401: the producer role, signed by a key nobody trusts.
        Map<Integer, String> producerTokens = Map.of(
                403, TestTokens.token("viewer", "checkout-simulator"),
                401, TestTokens.wrongSignature("producer", "checkout-simulator"));
        for (Map.Entry<Integer, String> e : producerTokens.entrySet()) {
            // Score goes to a socket that only counts connections: a Score call would have to open one.
            try (ServerSocket scoringStandIn = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                SimulationConfig config = config("127.0.0.1:" + scoringStandIn.getLocalPort(), baseline, 15,
                        Duration.ofMinutes(20), "refused" + e.getKey(), new ServiceTokens(operator, e.getValue()),
                        new ByteArrayOutputStream());

                ServiceRefusedException refused = assertThrows(ServiceRefusedException.class,
                        () -> new Simulation(config).run());

                assertEquals("POST /features/batch", refused.call());
                assertEquals(e.getKey(), refused.status());
                assertTrue(refused.getMessage().startsWith("feature-service refused POST /features/batch: HTTP "
                        + e.getKey()), refused.getMessage());
                assertFalse(refused.getMessage().contains(e.getValue()), "the token is never in a message");
                assertNull(acceptedConnection(scoringStandIn), "no Score call after a refused feature batch");
            }
        }
    }

    @Test
    @Order(3)
    void shouldSetTheChallengerWithTheOperatorTokenWhoseSubjectScoringRecords() throws Exception {
        Scenario challenger = ScenarioLoader.parse("""
                name: challenger-auth
                changes:
                  - at: 0
                    note: the simulator registers and activates a challenger
                    challenger: {model: challenger-sim-auth, share: 0.05, register_path: default/model.json}
                """);
        SimulationConfig config = config("127.0.0.1:" + scoringGrpcPort, challenger, 5, Duration.ofMinutes(4),
                "challenger", tokens(), new ByteArrayOutputStream());
        try {
            new Simulation(config).run();

            JsonNode change = null;
            for (String line : Files.readAllLines(config.truthFile())) {
                JsonNode n = new ObjectMapper().readTree(line);
                if ("change".equals(n.get("type").asText())) {
                    change = n;
                }
            }
            assertTrue(change != null, "the change is in the truth file");
            assertEquals("ok", change.get("result").asText(), change.toString());
            HttpResponse<String> model = scoringRest("GET", "/models/challenger-sim-auth", null,
                    TestTokens.bearer("viewer", "stack-test"));
            assertEquals(200, model.statusCode(), model.body());
            JsonNode m = new ObjectMapper().readTree(model.body());
            assertEquals("checkout-simulator", m.get("created_by").asText(), "the actor is the token's subject");
            assertEquals(0.05, m.get("challenger_share").asDouble(), 1e-9);
        } finally {
            // The other tests run without a challenger.
            scoringRest("POST", "/models/challenger-sim-auth/activate", "{\"role\": \"RETIRED\"}",
                    TestTokens.bearer("operator", "stack-test"));
        }

        // A token without the operator role: scoring's 403 stops the run, naming the call.
        Scenario other = ScenarioLoader.parse("""
                name: challenger-forbidden
                changes:
                  - at: 0
                    challenger: {model: challenger-sim-forbidden, share: 0.05, register_path: default/model.json}
                """);
        String viewer = TestTokens.token("viewer", "checkout-simulator");
        SimulationConfig forbidden = config("127.0.0.1:" + scoringGrpcPort, other, 5, Duration.ofMinutes(4),
                "forbidden", new ServiceTokens(viewer, TestTokens.token("producer", "checkout-simulator")),
                new ByteArrayOutputStream());
        ServiceRefusedException refused = assertThrows(ServiceRefusedException.class,
                () -> new Simulation(forbidden).run());
        assertEquals("POST /models", refused.call());
        assertEquals(403, refused.status());
        assertEquals("scoring-service refused POST /models: HTTP 403 Forbidden (the operator token's role does not "
                + "allow this call)", refused.getMessage());
        assertEquals(404, scoringRest("GET", "/models/challenger-sim-forbidden", null,
                TestTokens.bearer("viewer", "stack-test")).statusCode(), "nothing was registered");
    }

    /** One REST call to scoring-service with a bearer token. */
    private HttpResponse<String> scoringRest(String method, String path, String body, String authorization)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scoring.baseUrl() + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A connection someone opened to {@code socket} (waiting in its backlog), or null. */
    private static String acceptedConnection(ServerSocket socket) throws Exception {
        socket.setSoTimeout(200);
        try (var s = socket.accept()) {
            return s.getRemoteSocketAddress().toString();
        } catch (SocketTimeoutException none) {
            return null;
        }
    }

    /** Every record of {@code topic} from the start; stops at {@code expected} records, or after 60 s. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-test-" + topic + "-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
