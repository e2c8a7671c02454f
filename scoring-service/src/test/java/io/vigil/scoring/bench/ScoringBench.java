package io.vigil.scoring.bench;

import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.FallbackCause;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.scoring.testsupport.FakeFeatureStore;

/**
 * Open-loop gRPC load generator for Score, with grpc.health.v1.Health/Check sent at the same rate in the same run as
 * the yardstick (latencies on this kind of machine are only comparable as ratios within one run).
 *
 * <p>Latency is measured from the moment a call was <em>due</em>, not from when it was sent, so a stalled client does
 * not hide server latency (no coordinated omission); how late the client itself sent is reported separately.
 *
 * <p>By default it starts its own scoring-service (the packaged jar) on a free port, pointed at an in-process
 * FeatureStore gRPC server with canned features ({@code --stall-features}: one that never answers), so the run is
 * reproducible without the rest of the stack. {@code --target host:port} measures a running service instead.
 */
public final class ScoringBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        int rps = Integer.parseInt(opt.getOrDefault("rps", "1000"));
        double duration = seconds(opt.getOrDefault("duration", "30s"));
        double warmup = seconds(opt.getOrDefault("warmup", "20s"));
        boolean stall = opt.containsKey("stall-features");
        String target = opt.get("target");
        Path root = Path.of(opt.getOrDefault("root", ".")).toAbsolutePath().normalize();

        FakeFeatureStore features = null;
        Process service = null;
        io.vigil.testing.kafka.KafkaBroker kafka = null;
        String host = "127.0.0.1";
        int port;
        try {
            if (target == null) {
                features = FakeFeatureStore.startOnFreePort();
                canned(features, 1000);
                if (stall) {
                    features.delay(60_000);
                }
                port = freePort();
                if (!opt.containsKey("kafka")) {
                    // A real broker, as in production: a Kafka that is down would make this a different experiment.
                    kafka = io.vigil.testing.kafka.KafkaBroker.start();
                    opt.put("kafka", kafka.bootstrapServers());
                }
                service = startService(root, port, features.port(), opt);
            } else {
                host = target.substring(0, target.lastIndexOf(':'));
                port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                if (stall) {
                    throw new IllegalArgumentException("--stall-features needs the bench's own service (no --target)");
                }
            }
            run(host, port, rps, duration, warmup, stall);
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor(20, TimeUnit.SECONDS);
            }
            if (features != null) {
                features.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static void run(String host, int port, int rps, double duration, double warmup, boolean stall)
            throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build();
        var scoring = RiskScoringServiceGrpc.newFutureStub(channel);
        var health = HealthGrpc.newFutureStub(channel);
        String runId = UUID.randomUUID().toString().substring(0, 8);

        System.out.printf("bench scoring: %s:%d, %d rps each of Score and Health/Check, warm-up %.0f s, measured %.0f s%s%n",
                host, port, rps, warmup, duration, stall ? ", features STALLED" : "");
        Phase warm = new Phase(rps, warmup, runId + "-w");
        warm.drive(scoring, health);
        System.gc();
        Thread.sleep(500);
        Phase measured = new Phase(rps, duration, runId + "-m");
        measured.drive(scoring, health);
        measured.awaitCompletion(10_000);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        measured.report(stall);
    }

    /** One open-loop phase: requests are built before it starts; each tick sends one Score and one Health/Check. */
    static final class Phase {
        final int rps;
        final int calls;
        final ScoreRequest[] requests;
        final Recorder score = new Recorder(3);
        final Recorder check = new Recorder(3);
        final Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final LongAdder scoreErrors = new LongAdder();
        final LongAdder checkErrors = new LongAdder();
        final AtomicLong outstanding = new AtomicLong();
        final Map<FallbackCause, LongAdder> fallbacks = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

        Phase(int rps, double seconds, String prefix) {
            this.rps = rps;
            this.calls = (int) Math.round(rps * seconds);
            this.requests = new ScoreRequest[calls];
            for (int i = 0; i < calls; i++) {
                requests[i] = request(prefix + "-" + i, "bench-acct-" + (i % 1000), 1_000 + (i * 7919L) % 90_000);
            }
        }

        void drive(RiskScoringServiceGrpc.RiskScoringServiceFutureStub scoring, HealthGrpc.HealthFutureStub health) {
            HealthCheckRequest healthRequest = HealthCheckRequest.getDefaultInstance();
            long interval = 1_000_000_000L / rps;
            long start = System.nanoTime() + 1_000_000;
            for (int i = 0; i < calls; i++) {
                long due = start + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    long left = due - now;
                    if (left > 200_000) {
                        LockSupport.parkNanos(left - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                lateness.recordValue(Math.max(0, now - due));
                outstanding.addAndGet(2);
                ListenableFuture<ScoreResponse> s = scoring.withDeadlineAfter(2, TimeUnit.SECONDS).score(requests[i]);
                Futures.addCallback(s, new FutureCallback<>() {
                    @Override
                    public void onSuccess(ScoreResponse r) {
                        score.recordValue(System.nanoTime() - due);
                        if (r.getFallback()) {
                            fallbacks.computeIfAbsent(r.getFallbackCause(), c -> new LongAdder()).increment();
                        }
                        outstanding.decrementAndGet();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        score.recordValue(System.nanoTime() - due);
                        scoreErrors.increment();
                        errorCodes.computeIfAbsent("Score " + io.grpc.Status.fromThrowable(t).getCode(),
                                c -> new LongAdder()).increment();
                        outstanding.decrementAndGet();
                    }
                }, MoreExecutors.directExecutor());
                ListenableFuture<HealthCheckResponse> h = health.withDeadlineAfter(2, TimeUnit.SECONDS).check(healthRequest);
                Futures.addCallback(h, new FutureCallback<>() {
                    @Override
                    public void onSuccess(HealthCheckResponse r) {
                        check.recordValue(System.nanoTime() - due);
                        outstanding.decrementAndGet();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        check.recordValue(System.nanoTime() - due);
                        checkErrors.increment();
                        errorCodes.computeIfAbsent("Health " + io.grpc.Status.fromThrowable(t).getCode(),
                                c -> new LongAdder()).increment();
                        outstanding.decrementAndGet();
                    }
                }, MoreExecutors.directExecutor());
            }
        }

        void awaitCompletion(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (outstanding.get() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
        }

        void report(boolean stall) {
            Histogram s = score.getIntervalHistogram();
            Histogram h = check.getIntervalHistogram();
            System.out.println();
            System.out.println("                       calls  errors     p50 ms     p99 ms   p99.9 ms     max ms");
            line("Score", s, scoreErrors.sum());
            line("Health/Check", h, checkErrors.sum());
            System.out.printf("%-16s %10s %7s %10.3f %10.3f %10.3f %10.3f%n", "client lateness", "", "",
                    ms(lateness.getValueAtPercentile(50)), ms(lateness.getValueAtPercentile(99)),
                    ms(lateness.getValueAtPercentile(99.9)), ms(lateness.getMaxValue()));
            double ratio = (double) s.getValueAtPercentile(99) / Math.max(1, h.getValueAtPercentile(99));
            System.out.printf("%nScore p99 / Health p99 = %.2f   (goal <= 4.0%s)%n", ratio,
                    stall ? "; with stalled features the goal is 0 errors and Score p99 <= budget + 2 ms" : "");
            Map<FallbackCause, Long> fb = new EnumMap<>(FallbackCause.class);
            fallbacks.forEach((k, v) -> fb.put(k, v.sum()));
            System.out.println("fallbacks: " + (fb.isEmpty() ? "none" : fb));
            if (!errorCodes.isEmpty()) {
                Map<String, Long> errors = new java.util.TreeMap<>();
                errorCodes.forEach((k, v) -> errors.put(k, v.sum()));
                System.out.println("errors by status: " + errors);
            }
            System.out.println("still outstanding at the end: " + outstanding.get());
        }

        private static void line(String name, Histogram hist, long errors) {
            System.out.printf("%-16s %10d %7d %10.3f %10.3f %10.3f %10.3f%n", name, hist.getTotalCount(), errors,
                    ms(hist.getValueAtPercentile(50)), ms(hist.getValueAtPercentile(99)),
                    ms(hist.getValueAtPercentile(99.9)), ms(hist.getMaxValue()));
        }
    }

    static ScoreRequest request(String transactionId, String account, long amountMinor) {
        return ScoreRequest.newBuilder().setTransactionId(transactionId).setAccountId(account)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency("USD"))
                .setMerchantId("bench-merchant-" + (amountMinor % 20)).setMerchantCategoryCode("5732")
                .setChannel(Channel.CHANNEL_WEB).setCardBinCountry("US").setIpCountry("US").setBillingCountry("US")
                .setDeviceId("bench-device-" + account).build();
    }

    /** Plausible stored features for the bench accounts, merchants and devices. */
    static void canned(FakeFeatureStore store, int accounts) {
        String[] bands = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
        String[] countries = {"US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU"};
        for (int i = 0; i < accounts; i++) {
            String id = "bench-acct-" + i;
            store.put(EntityType.ENTITY_TYPE_ACCOUNT, id, List.of(
                    FakeFeatureStore.ok("account_age_days", (long) (i * 37 % 3000)),
                    FakeFeatureStore.ok("login_method", i % 4 == 0 ? "social" : "password"),
                    FakeFeatureStore.ok("customer_age_band", bands[i % bands.length]),
                    FakeFeatureStore.ok("country", countries[i % countries.length]),
                    FakeFeatureStore.ok("region", "NA"),
                    FakeFeatureStore.ok("txn_count_1h", (long) (i % 3)),
                    FakeFeatureStore.ok("txn_count_24h", (long) (i % 9)),
                    FakeFeatureStore.ok("amount_sum_24h", (i % 50) * 13.5),
                    FakeFeatureStore.ok("email_age_days", (long) (i * 11 % 4000)),
                    FakeFeatureStore.ok("email_domain_free", i % 2 == 0),
                    FakeFeatureStore.ok("prior_chargebacks", (long) (i % 40 == 0 ? 1 : 0)),
                    FakeFeatureStore.ok("distinct_cards_24h", (long) (1 + i % 2)),
                    FakeFeatureStore.ok("prior_orders", (long) (i % 60)),
                    FakeFeatureStore.ok("avg_order_amount", 40.0 + i % 200),
                    FakeFeatureStore.ok("password_reset_7d", i % 30 == 0)));
            store.put(EntityType.ENTITY_TYPE_DEVICE, "bench-device-" + id,
                    List.of(FakeFeatureStore.ok("device_age_days", (long) (i % 100))));
        }
        String[] categories = {"digital_goods", "electronics", "gift_cards", "gaming", "travel", "fashion", "home",
                "grocery", "services", "ticketing"};
        for (int m = 0; m < 20; m++) {
            store.put(EntityType.ENTITY_TYPE_MERCHANT, "bench-merchant-" + m, List.of(
                    FakeFeatureStore.ok("merchant_category", categories[m % categories.length]),
                    FakeFeatureStore.ok("merchant_fraud_rate_90d", 0.001 * (m + 1))));
        }
    }

    private static Process startService(Path root, int port, int featuresPort, Map<String, String> opt)
            throws Exception {
        Path jar = root.resolve("scoring-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build it first (./mvnw -pl scoring-service package -DskipTests)");
        }
        String pgHost = env("VIGIL_PG_HOST", "127.0.0.1");
        String pgPort = env("VIGIL_PG_PORT", "5432");
        String pgUser = env("VIGIL_PG_USER", "postgres");
        String pgPassword = env("VIGIL_PG_PASSWORD", "");
        String database = "vigil_scoring_bench";
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres",
                pgUser, pgPassword); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
        }
        Path log = Files.createTempFile("vigil-bench-scoring-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx384m",
                "-Dquarkus.http.port=" + port,
                "-Dscoring.features.port=" + featuresPort,
                "-Dscoring.models.dir=" + root.resolve("models"),
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database,
                "-Dquarkus.datasource.reactive.url=postgresql://" + pgHost + ":" + pgPort + "/" + database,
                "-Dquarkus.datasource.username=" + pgUser,
                "-Dquarkus.datasource.password=" + pgPassword,
                "-Dkafka.bootstrap.servers=" + opt.get("kafka"),
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"org.apache.kafka\".level=ERROR",
                "-Dquarkus.log.category.\"io.vigil\".level=INFO"));
        if (opt.containsKey("budget")) {
            cmd.add("-Dscoring.budget.total=" + opt.get("budget"));
        }
        if (opt.containsKey("set")) {
            // --set key=value[,key=value...]: any service configuration, e.g. the breaker's window
            for (String kv : opt.get("set").split(",")) {
                cmd.add("-D" + kv.trim());
            }
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        System.out.println("starting scoring-service on port " + port + " (log " + log + ")");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("scoring-service exited with " + p.exitValue() + "; see " + log);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/live")
                        .toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        p.destroy();
        throw new IllegalStateException("scoring-service did not become live within 120 s; see " + log);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double seconds(String text) {
        String t = text.trim();
        if (t.endsWith("ms")) {
            return Double.parseDouble(t.substring(0, t.length() - 2)) / 1000;
        }
        if (t.endsWith("s")) {
            return Double.parseDouble(t.substring(0, t.length() - 1));
        }
        if (t.endsWith("m")) {
            return Double.parseDouble(t.substring(0, t.length() - 1)) * 60;
        }
        return Double.parseDouble(t);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            if (key.equals("stall-features")) {
                opt.put(key, "true");
            } else if (i + 1 < args.length) {
                opt.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return opt;
    }

    private ScoringBench() {
    }
}
