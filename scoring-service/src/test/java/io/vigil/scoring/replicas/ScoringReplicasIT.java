package io.vigil.scoring.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.IdempotencyCheck;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.eventing.EventTopics;
import io.vigil.scoring.testsupport.FakeFeatureStore;
import io.vigil.scoring.testsupport.FreezableTcpProxy;
import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.PostgresServer;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.security.TestTokens;

/**
 * Two scoring-service processes from the built jar on one fresh database, a real Kafka broker and a feature store
 * both call: replica A talks to PostgreSQL directly, replica B through a proxy the test can freeze (a hung database,
 * without touching the PostgreSQL server other tests share). Issue 15, point 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringReplicasIT {

    /** Roomy budget: this proves one decision per id, not speed, on a CI machine running three JVMs at once. */
    private static final String BUDGET = "2s";
    /** scoring.decisions.claim-failures-to-open (the default). */
    private static final int FAILURES_TO_OPEN = 5;

    private KafkaBroker broker;
    private PostgresLocator.Located postgres;
    private TestDatabase database;
    private FakeFeatureStore features;
    private FreezableTcpProxy proxy;
    private QuarkusServiceProcess replicaA;
    private QuarkusServiceProcess replicaB;
    private ManagedChannel channelA;
    private ManagedChannel channelB;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        broker = KafkaBroker.start();
        postgres = PostgresLocator.locate(System.getenv(), null, KafkaBroker.freePort());
        database = TestDatabase.create(postgres.server(), "vigil_scoring_replicas");
        features = FakeFeatureStore.startOnFreePort();
        PostgresServer direct = postgres.server();
        proxy = new FreezableTcpProxy(direct.host(), direct.port());
        PostgresServer viaProxy = new PostgresServer("127.0.0.1", proxy.port(), direct.user(), direct.password());
        int grpcA = KafkaBroker.freePort();
        // One after the other: both run Flyway at start.
        replicaA = QuarkusServiceProcess.start("scoring-a", QuarkusServiceProcess.builtJar("scoring-service"),
                KafkaBroker.freePort(), config(direct, grpcA), Duration.ofSeconds(90));
        int grpcB = KafkaBroker.freePort();
        replicaB = QuarkusServiceProcess.start("scoring-b", QuarkusServiceProcess.builtJar("scoring-service"),
                KafkaBroker.freePort(), config(viaProxy, grpcB), Duration.ofSeconds(90));
        channelA = ManagedChannelBuilder.forAddress("127.0.0.1", grpcA).usePlaintext().build();
        channelB = ManagedChannelBuilder.forAddress("127.0.0.1", grpcB).usePlaintext().build();
    }

    private Map<String, String> config(PostgresServer server, int grpcPort) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("quarkus.datasource.username", server.user());
        c.put("quarkus.datasource.password", server.password());
        c.put("quarkus.datasource.jdbc.url", server.jdbcUrl(database.name()));
        c.put("quarkus.datasource.reactive.url", server.reactiveUrl(database.name()));
        c.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        c.put("quarkus.log.console.json.enabled", "false");
        c.put("scoring.features.host", "127.0.0.1");
        c.put("scoring.features.port", Integer.toString(features.port()));
        c.put("scoring.features.breaker-request-volume", "100000");
        c.put("scoring.models.dir", "src/test/resources/models");
        c.put("scoring.models.default-model", "tiny/model.json");
        c.put("scoring.models.default-version", "tiny-2tree");
        c.put("scoring.budget.total", BUDGET);
        // Readiness needs a readable token verification key (operators' REST is authenticated).
        c.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        c.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        return c;
    }

    @AfterAll
    void stop() throws Exception {
        for (ManagedChannel c : new ManagedChannel[] {channelA, channelB}) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {replicaA, replicaB, proxy, features, database, postgres, broker}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }

    private static ScoreRequest request(String transactionId) {
        return ScoreRequest.newBuilder()
                .setTransactionId(transactionId)
                .setAccountId("acct-" + transactionId)
                .setAmount(Money.newBuilder().setAmountMinor(200_00).setCurrency("USD"))
                .setMerchantId("m-1")
                .setMerchantCategoryCode("5732")
                .setChannel(Channel.CHANNEL_WEB)
                .setCardBinCountry("CA")
                .setIpCountry("CA")
                .setBillingCountry("CA")
                .build();
    }

    private static ScoreResponse score(ManagedChannel channel, ScoreRequest r) {
        return RiskScoringServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).score(r);
    }

    @Test
    void shouldGiveEachTransactionIdExactlyOneDecisionAcrossTwoReplicas() throws Exception {
        int ids = 200;
        int copies = 8;
        String run = UUID.randomUUID().toString().substring(0, 8);
        double uncheckedA = unverified(replicaA, null);
        double uncheckedB = unverified(replicaB, null);
        Map<String, Set<String>> decisionIds = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch done = new CountDownLatch(ids * copies);
        try {
            for (int i = 0; i < ids; i++) {
                ScoreRequest r = request("tx-replicas-" + run + "-" + i);
                // The 8 copies of one id are queued together and released at once, half to each replica.
                CountDownLatch together = new CountDownLatch(copies);
                for (int k = 0; k < copies; k++) {
                    ManagedChannel target = k % 2 == 0 ? channelA : channelB;
                    pool.submit(() -> {
                        try {
                            together.countDown();
                            together.await(30, TimeUnit.SECONDS);
                            ScoreResponse answer = score(target, r);
                            decisionIds.computeIfAbsent(r.getTransactionId(), x -> ConcurrentHashMap.newKeySet())
                                    .add(answer.getDecisionId());
                        } catch (Throwable e) {
                            failures.add(e);
                        } finally {
                            done.countDown();
                        }
                    });
                }
            }
            assertTrue(done.await(5, TimeUnit.MINUTES), "calls did not finish");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), new ArrayList<>(failures));
        assertEquals(ids, decisionIds.size());
        Map<String, Set<String>> duplicated = new HashMap<>();
        decisionIds.forEach((tx, set) -> {
            if (set.size() != 1) {
                duplicated.put(tx, set);
            }
        });
        assertEquals(Map.of(), duplicated, "transaction ids with more than one decision_id");

        // The database holds that one decision for each id.
        try (Connection c = postgres.server().connect(database.name());
                PreparedStatement s = c.prepareStatement(
                        "SELECT transaction_id, decision_id FROM decision WHERE transaction_id LIKE ?")) {
            s.setString(1, "tx-replicas-" + run + "-%");
            int rows = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    assertEquals(decisionIds.get(rs.getString(1)), Set.of(rs.getString(2)), rs.getString(1));
                }
            }
            assertEquals(ids, rows);
        }
        assertEquals(uncheckedA, unverified(replicaA, null), "every claim on A was checked");
        assertEquals(uncheckedB, unverified(replicaB, null), "every claim on B was checked");
        System.out.printf("two replicas, %d transaction ids x %d concurrent calls: %d with exactly one decision_id%n",
                ids, copies, decisionIds.values().stream().filter(x -> x.size() == 1).count());
    }

    @Test
    void shouldAnswerEveryCallWhileTheDatabaseIsFrozenCountingAndFlaggingEachAsUnverified() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 20; i++) {
            score(channelB, request("tx-warm-" + run + "-" + i));
        }
        double timeoutsBefore = unverified(replicaB, "timeout");
        double downBefore = unverified(replicaB, "database_down");
        double allBefore = unverified(replicaB, null);
        int calls = 100;
        List<String> frozenIds = new ArrayList<>();
        long[] micros = new long[calls];
        proxy.freeze();
        try {
            for (int i = 0; i < calls; i++) {
                ScoreRequest r = request("tx-frozen-" + run + "-" + i);
                frozenIds.add(r.getTransactionId());
                long t0 = System.nanoTime();
                ScoreResponse answer = score(channelB, r);
                micros[i] = (System.nanoTime() - t0) / 1000;
                UUID.fromString(answer.getDecisionId());
            }
        } finally {
            proxy.thaw();
        }
        // The first claims wait out the budget and open the breaker; after that none waits at all.
        assertEquals(FAILURES_TO_OPEN, unverified(replicaB, "timeout") - timeoutsBefore);
        assertEquals(calls - FAILURES_TO_OPEN, unverified(replicaB, "database_down") - downBefore);
        assertEquals(calls, unverified(replicaB, null) - allBefore, "every unchecked answer counted, no other cause");

        Map<String, IdempotencyCheck> flagged = events(new HashSet<>(frozenIds));
        for (int i = 0; i < calls; i++) {
            assertEquals(i < FAILURES_TO_OPEN ? IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_TIMEOUT
                    : IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_DATABASE_DOWN, flagged.get(frozenIds.get(i)),
                    frozenIds.get(i));
        }

        // Once PostgreSQL answers again, claims resume and the unchecked decisions are written after all.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean claimedAgain = false;
        for (int i = 0; !claimedAgain && System.nanoTime() < deadline; i++) {
            ScoreRequest r = request("tx-after-" + run + "-" + i);
            double unchecked = unverified(replicaB, null);
            score(channelB, r);
            // Claimed: not counted as unverified, and its row there when the answer is.
            claimedAgain = unverified(replicaB, null) == unchecked && rows(List.of(r.getTransactionId())) == 1;
            Thread.sleep(claimedAgain ? 0 : 200);
        }
        assertTrue(claimedAgain, "no claim reached PostgreSQL within 30 s of thawing");
        while (rows(frozenIds) < calls && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(calls, rows(frozenIds), "decisions answered unverified are recorded once the database is back");

        long[] waited = Arrays.copyOfRange(micros, 0, FAILURES_TO_OPEN);
        long[] skipped = Arrays.copyOfRange(micros, FAILURES_TO_OPEN, calls);
        Arrays.sort(skipped);
        System.out.printf("database frozen: first %d calls waited %s us (budget %s); the next %d: p50 %d us, "
                + "p99 %d us, max %d us%n", FAILURES_TO_OPEN, Arrays.toString(waited), BUDGET, skipped.length,
                skipped[skipped.length / 2], skipped[(int) (skipped.length * 0.99)], skipped[skipped.length - 1]);
    }

    private int rows(List<String> transactionIds) throws Exception {
        try (Connection c = postgres.server().connect(database.name());
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM decision WHERE transaction_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", transactionIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * vigil_idempotency_unverified_total of one cause (null: all causes) as a replica exposes it; 0 before the
     * replica's first call (its meters are created with the first use of the metrics bean).
     */
    private double unverified(QuarkusServiceProcess replica, String cause) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("vigil_idempotency_unverified_total{")
                    && (cause == null || line.contains("cause=\"" + cause + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private Map<String, IdempotencyCheck> events(Set<String> transactionIds) throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "replicas-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, IdempotencyCheck> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventTopics.DECISIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < transactionIds.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (transactionIds.contains(record.key())) {
                        IdempotencyCheck check = DecisionMade.parseFrom(record.value()).getIdempotencyCheck();
                        if (out.put(record.key(), check) != null) {
                            fail("two decision events for " + record.key());
                        }
                    }
                }
            }
        }
        assertEquals(transactionIds.size(), out.size(), "decision events found");
        return out;
    }
}
