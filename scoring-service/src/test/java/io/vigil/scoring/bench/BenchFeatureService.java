package io.vigil.scoring.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vigil.testing.kafka.KafkaBroker;
import io.vigil.testing.postgres.PostgresServer;
import io.vigil.testing.postgres.TestDatabase;
import io.vigil.testing.process.QuarkusServiceProcess;
import io.vigil.testing.security.TestTokens;

/**
 * The real feature-service for the bench: its packaged jar as a process of its own, on a free port, with a fresh
 * database (dropped at the end) and the bench's Kafka. Stored features go in over {@code POST /features/batch}, each
 * group from its declared producer, as in production. {@link #freeze()} / {@link #thaw()} send SIGSTOP / SIGCONT: a
 * frozen JVM keeps its socket open and accepts connections but never answers, which is the fault scoring's fallback
 * path exists for (a dead process would refuse connections, an easier case).
 */
final class BenchFeatureService implements AutoCloseable {

    /** Updates per REST batch; feature-service accepts at most {@code features.ingest.max-batch-size} (1,000). */
    private static final int BATCH = 500;

    private static final String[] BANDS = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
    private static final String[] COUNTRIES = {"US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU"};
    private static final String[] REGIONS = {"NA", "NA", "EU", "EU", "EU", "LATAM", "LATAM", "APAC", "APAC", "APAC"};
    private static final String[] CATEGORIES = {"digital_goods", "electronics", "gift_cards", "gaming", "travel",
            "fashion", "home", "grocery", "services", "ticketing"};
    private static final Pattern COUNT = Pattern.compile("\"(accepted|flagged|rejected)\"\\s*:\\s*(\\d+)");

    private final QuarkusServiceProcess process;
    private final TestDatabase database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private boolean frozen;
    private boolean closed;

    private final int grpcPort;

    private BenchFeatureService(QuarkusServiceProcess process, TestDatabase database, int grpcPort) {
        this.process = process;
        this.database = database;
        this.grpcPort = grpcPort;
    }

    /**
     * Starts feature-service from {@code <root>/feature-service/target/quarkus-app/quarkus-run.jar}.
     *
     * @throws IllegalStateException naming the build command when the jar is missing
     */
    static BenchFeatureService start(Path root, PostgresServer postgres, String kafka) throws Exception {
        return start(root, postgres, kafka, Map.of(), java.util.List.of());
    }

    /**
     * @param settings   further configuration of the service (e.g. its warm-up)
     * @param jvmOptions options of its JVM (e.g. an AOT cache)
     */
    static BenchFeatureService start(Path root, PostgresServer postgres, String kafka, Map<String, String> settings,
            java.util.List<String> jvmOptions) throws Exception {
        Path jar = root.resolve("feature-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the bench runs the real feature-service; build it first"
                    + " (./mvnw -B -o -q -pl feature-service package -DskipTests)");
        }
        TestDatabase database = TestDatabase.create(postgres, "vigil_features_bench");
        int grpcPort = KafkaBroker.freePort();
        try {
            Map<String, String> properties = new java.util.HashMap<>(Map.of(
                            "kafka.bootstrap.servers", kafka,
                            "quarkus.grpc.server.port", Integer.toString(grpcPort),
                            "quarkus.datasource.username", postgres.user(),
                            "quarkus.datasource.password", postgres.password(),
                            "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database.name()),
                            "quarkus.datasource.reactive.url", postgres.reactiveUrl(database.name()),
                            "quarkus.log.category.\"org.apache.kafka\".level", "ERROR",
                            "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString(),
                            "mp.jwt.verify.issuer", TestTokens.ISSUER));
            properties.putAll(settings);
            QuarkusServiceProcess process = QuarkusServiceProcess.start("vigil-bench-feature-service", jar,
                    KafkaBroker.freePort(), properties, jvmOptions, Duration.ofSeconds(120));
            return new BenchFeatureService(process, database, grpcPort);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    int port() {
        return process.port();
    }

    /** GetFeatures' port (feature-service serves gRPC on a port of its own). */
    int grpcPort() {
        return grpcPort;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return process.log();
    }

    String databaseName() {
        return database.name();
    }

    /**
     * Stores plausible features for {@code bench-acct-0..accounts-1}, their devices {@code bench-device-bench-acct-i}
     * and {@code bench-merchant-0..merchants-1}, with event time {@code eventTime}.
     *
     * @return values stored (accepted + flagged); sentinels (account_age_days / email_age_days 0) are flagged by design
     * @throws IllegalStateException when a batch is refused or a value is rejected
     */
    long load(int accounts, int merchants, Instant eventTime) throws IOException, InterruptedException {
        long stored = 0;
        stored += post("account-profile", "account", accounts, i -> "bench-acct-" + i, i -> Map.of(
                "account_age_days", (long) (i * 37 % 3000),
                "login_method", i % 4 == 0 ? "social" : "password",
                "customer_age_band", BANDS[i % BANDS.length],
                "country", COUNTRIES[i % COUNTRIES.length],
                "region", REGIONS[i % REGIONS.length],
                "email_age_days", (long) (i * 11 % 4000),
                "email_domain_free", i % 2 == 0,
                "password_reset_7d", i % 30 == 0), eventTime);
        stored += post("txn-aggregator", "account", accounts, i -> "bench-acct-" + i, i -> Map.of(
                "txn_count_1h", (long) (i % 3),
                "txn_count_24h", (long) (i % 9),
                "amount_sum_24h", (i % 50) * 13.5,
                "prior_chargebacks", (long) (i % 40 == 0 ? 1 : 0),
                "distinct_cards_24h", (long) (1 + i % 2),
                "prior_orders", (long) (i % 60),
                "avg_order_amount", 40.0 + i % 200), eventTime);
        stored += post("device-intel", "device", accounts, i -> "bench-device-bench-acct-" + i,
                i -> Map.of("device_age_days", (long) (i % 100)), eventTime);
        stored += post("merchant-risk", "merchant", merchants, m -> "bench-merchant-" + m, m -> Map.of(
                "merchant_category", CATEGORIES[m % CATEGORIES.length],
                "merchant_fraud_rate_90d", 0.001 * (m + 1)), eventTime);
        return stored;
    }

    private long post(String producer, String entityType, int count, IntFunction<String> id,
            IntFunction<Map<String, Object>> fields, Instant eventTime) throws IOException, InterruptedException {
        long stored = 0;
        for (int from = 0; from < count; from += BATCH) {
            StringBuilder body = new StringBuilder(BATCH * 400);
            body.append("{\"producer\": \"").append(producer).append("\", \"updates\": [");
            for (int i = from; i < Math.min(count, from + BATCH); i++) {
                if (i > from) {
                    body.append(',');
                }
                body.append("{\"event_id\": \"").append(UUID.randomUUID()).append("\", \"entity\": {\"type\": \"")
                        .append(entityType).append("\", \"id\": \"").append(id.apply(i)).append("\"}, \"event_time\": \"")
                        .append(eventTime).append("\", \"fields\": {");
                List<String> values = new ArrayList<>();
                fields.apply(i).forEach((k, v) -> values.add("\"" + k + "\": " + (v instanceof String s ? "\"" + s + "\"" : v)));
                body.append(String.join(", ", values)).append("}}");
            }
            body.append("]}");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(process.baseUrl()
                    + "/features/batch")).header("content-type", "application/json").timeout(Duration.ofSeconds(60))
                    .header("Authorization", TestTokens.bearer("producer", producer))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("feature-service refused a " + producer + " batch (HTTP "
                        + response.statusCode() + "): " + abbreviate(response.body()));
            }
            Map<String, Long> counts = new java.util.HashMap<>();
            Matcher m = COUNT.matcher(response.body());
            // The top-level counts come first (IngestResult's field order); any later match is nested.
            while (m.find()) {
                counts.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
            }
            long rejected = counts.getOrDefault("rejected", 0L);
            if (rejected > 0) {
                throw new IllegalStateException("feature-service rejected " + rejected + " " + producer + " values: "
                        + abbreviate(response.body()));
            }
            stored += counts.getOrDefault("accepted", 0L) + counts.getOrDefault("flagged", 0L);
        }
        return stored;
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    /** SIGSTOP: the process keeps its sockets but runs no thread until {@link #thaw()}. */
    synchronized void freeze() throws IOException, InterruptedException {
        if (!closed) {
            signal("STOP");
            frozen = true;
        }
    }

    /** SIGCONT. Harmless on a process that is not stopped, so safe to send whenever in doubt. */
    synchronized void thaw() throws IOException, InterruptedException {
        if (!closed) {
            signal("CONT");
            frozen = false;
        }
    }

    synchronized boolean frozen() {
        return frozen;
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes()).trim();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + output);
        }
    }

    /**
     * Resumes the process first (a stopped JVM would sit on SIGTERM until the grace period ran out and it got
     * SIGKILL), then stops it gracefully and drops its database. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            signal("CONT");
        } catch (Exception | Error ignored) {
            // the process may be gone already; close() below copes with that
        }
        frozen = false;
        closed = true;
        try {
            process.close();
        } finally {
            database.close();
        }
    }
}
