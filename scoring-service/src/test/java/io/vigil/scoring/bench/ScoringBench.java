package io.vigil.scoring.bench;

import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.FallbackCause;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.testing.postgres.PostgresLocator;
import io.vigil.testing.postgres.PostgresServer;
import io.vigil.testing.security.TestTokens;

/**
 * Open-loop gRPC load generator for Score, with grpc.health.v1.Health/Check sent at the same rate in the same run as
 * the yardstick (latencies on this kind of machine are only comparable as ratios within one run).
 *
 * <p>Latency is measured from the moment a call was <em>due</em>, not from when it was sent, so a stalled client does
 * not hide server latency (no coordinated omission); how late the client itself sent is reported separately.
 *
 * <p>By default it hosts what it measures: the real feature-service (its packaged jar, a fresh database, features for
 * the bench's accounts, devices and merchants stored over its REST batch API) and scoring-service (its packaged jar)
 * pointed at it, each on a free port, with a Kafka broker process of its own. So every Score includes a real
 * GetFeatures call. {@code --stall-features} freezes the feature-service process (SIGSTOP) a third into the measured
 * phase and resumes it (SIGCONT) after another third, and reports that stalled window separately: the fallback path's
 * figures. {@code --target host:port} measures a running service instead.
 */
public final class ScoringBench {

    /** Accounts (and one device each) the bench scores and stores features for; merchants likewise. */
    static final int ACCOUNTS = 2_000;
    static final int MERCHANTS = 20;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        int rps = Integer.parseInt(opt.getOrDefault("rps", "1000"));
        double duration = seconds(opt.getOrDefault("duration", "30s"));
        double warmup = seconds(opt.getOrDefault("warmup", "60s")); // three cold JVMs on 2 cores still compile after 20 s
        boolean stall = opt.containsKey("stall-features");
        int connections = Integer.parseInt(opt.getOrDefault("connections", "4"));
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1: " + connections);
        }
        // The service's own default (scoring.budget.total); only used to state the stalled-window goal.
        double budgetMs = seconds(opt.getOrDefault("budget", "50ms")) * 1000;
        // --stack: the stack ./bin/vigil up started (Score on 9081), found by its ports and command lines.
        String target = opt.containsKey("stack") ? "127.0.0.1:9081" : opt.get("target");
        // The first seconds after ready, measured before any warm-up: only meaningful against a service just started,
        // so on by default when the bench starts its own, off against a running one unless asked for.
        double cold = seconds(opt.getOrDefault("cold", target == null ? "20s" : "0s"));
        Path root = Path.of(opt.getOrDefault("root", ".")).toAbsolutePath().normalize();

        Path profile = opt.containsKey("profile") ? Path.of(opt.get("profile")) : null;
        // --profile-cold FILE: the same over the cold phase (the first seconds after ready)
        Path coldProfile = opt.containsKey("profile-cold") ? Path.of(opt.get("profile-cold")) : null;
        if ((profile != null || coldProfile != null) && (opt.containsKey("stack") || opt.containsKey("target"))) {
            throw new IllegalArgumentException("--profile needs the bench's own services (no --target or --stack)");
        }
        double clientWarmUp = seconds(opt.getOrDefault("client-warmup", "10s"));
        if (clientWarmUp > 0) {
            long t0 = System.nanoTime();
            long answered = ClientWarmUp.run(rps, clientWarmUp, true);
            System.out.printf("client warm-up: %d calls answered by an in-JVM stand-in in %.1f s (the bench's own JIT,"
                    + " before any service starts)%n", answered, (System.nanoTime() - t0) / 1e9);
        }
        Hosted hosted = new Hosted();
        // Ctrl-C does not run finally blocks: the hook resumes a frozen feature-service and stops what the bench started.
        Thread cleanup = new Thread(hosted::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        String host = "127.0.0.1";
        int port;
        // --metrics-url: scoring-service's /q/metrics when the bench did not start it (--stack knows it)
        URI metrics = opt.containsKey("metrics-url") ? URI.create(opt.get("metrics-url"))
                : opt.containsKey("stack") ? URI.create("http://127.0.0.1:8081/q/metrics") : null;
        try {
            if (cold > 0) {
                // Warms itself while the services start; told when to begin once the service is ready.
                hosted.coldProbe = HealthProbe.spawn(rps, cold);
            }
            if (target == null) {
                port = freePort();
                if (!opt.containsKey("kafka")) {
                    // A real broker, as in production: a Kafka that is down would make this a different experiment.
                    hosted.kafka = io.vigil.testing.kafka.KafkaBroker.start();
                    opt.put("kafka", hosted.kafka.bootstrapServers());
                }
                hosted.postgres = PostgresLocator.locate(postgresEnv(), null, freePort());
                PostgresServer pg = hosted.postgres.server();
                System.out.println("PostgreSQL: " + pg + " (" + hosted.postgres.origin() + ")");
                long t0 = System.nanoTime();
                hosted.features = BenchFeatureService.start(root, pg, opt.get("kafka"), settings(opt.get("features-set")),
                        jvmOptions(opt.get("features-jvm")));
                System.out.printf("feature-service (the real one, %s) pid %d on port %d, database %s, log %s, up in %.1f s%n",
                        "feature-service/target/quarkus-app/quarkus-run.jar", hosted.features.pid(),
                        hosted.features.port(), hosted.features.databaseName(), hosted.features.log(),
                        (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                long stored = hosted.features.load(ACCOUNTS, MERCHANTS,
                        Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS));
                System.out.printf("stored %d feature values for %d accounts, %d devices, %d merchants via POST"
                        + " /features/batch in %.1f s%n", stored, ACCOUNTS, ACCOUNTS, MERCHANTS,
                        (System.nanoTime() - t0) / 1e9);
                int httpPort = freePort();
                hosted.service = startService(root, port, httpPort, hosted.features.grpcPort(), pg, opt);
                metrics = URI.create("http://127.0.0.1:" + httpPort + "/q/metrics");
            } else {
                host = target.substring(0, target.lastIndexOf(':'));
                port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                if (stall) {
                    throw new IllegalArgumentException("--stall-features needs the bench's own services (no --target)");
                }
            }
            ProcessCpu cpu = ProcessCpu.suite(hosted.service == null ? -1 : hosted.service.pid(),
                    hosted.features == null ? -1 : hosted.features.pid());
            run(host, port, rps, cold, duration, warmup, stall ? hosted.features : null, budgetMs,
                    hosted.features != null, cpu, connections, hosted.coldProbe,
                    hosted.service == null ? -1 : hosted.service.pid(), profile, coldProfile,
                    metrics == null ? null : new BreakerTransitions(metrics));
        } finally {
            hosted.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** What the bench started itself; closed once, by the finally block or the shutdown hook, whichever comes first. */
    static final class Hosted {
        volatile io.vigil.testing.kafka.KafkaBroker kafka;
        volatile PostgresLocator.Located postgres;
        volatile BenchFeatureService features;
        volatile Process service;
        volatile Process coldProbe;
        private boolean closed;

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (coldProbe != null) {
                coldProbe.destroy();
            }
            if (features != null) {
                try {
                    features.thaw();
                } catch (Exception | Error e) {
                    System.err.println("could not SIGCONT feature-service pid " + features.pid() + ": " + e.getMessage());
                }
            }
            if (service != null) {
                service.destroy();
                try {
                    if (!service.waitFor(20, TimeUnit.SECONDS)) {
                        service.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    service.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            if (features != null) {
                features.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (Exception ignored) {
                    // an embedded server that already went away
                }
            }
        }
    }

    private static void run(String host, int port, int rps, double cold, double duration, double warmup,
            BenchFeatureService stallTarget, double budgetMs, boolean ownFeatures, ProcessCpu cpu, int connections,
            Process coldProbe, long servicePid, Path profile, Path coldProfile, BreakerTransitions breakers)
            throws Exception {
        // Several connections, as a checkout fleet opens: the server pins a connection to one event loop, so a single
        // connection would measure one loop of the service, not the service.
        ManagedChannel[] channels = new ManagedChannel[connections];
        var scoring = new RiskScoringServiceGrpc.RiskScoringServiceFutureStub[connections];
        for (int c = 0; c < connections; c++) {
            channels[c] = ManagedChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build();
            scoring[c] = RiskScoringServiceGrpc.newFutureStub(channels[c]);
        }
        ManagedChannel channel = channels[0];
        var health = HealthGrpc.newFutureStub(channel);
        String runId = UUID.randomUUID().toString().substring(0, 8);

        System.out.printf("bench scoring: %s:%d, %d rps each of Score and Health/Check (and Health/Check from a JVM of its"
                + " own: the floor), Score over %d connections, cold %.0f s, warm-up %.0f s, measured %.0f s%s%n", host, port,
                rps, connections, cold, warmup,
                duration, stallTarget != null ? ", feature-service STALLED (SIGSTOP) for the middle third" : "");
        if (cold > 0) {
            // The first seconds after the service said ready, with nothing before them: what a new pod's first
            // checkouts see. Errors and fallbacks are reported, not hidden in a warm-up.
            Phase first = new Phase(rps, cold, runId + "-c");
            long coldStart = System.nanoTime() + 1_500_000_000L;
            Process probe = coldProbe;
            HealthProbe.go(probe, host, port, System.currentTimeMillis() + 1_500);
            Map<String, Double> before = cpu.snapshot();
            Map<String, Long> breakersBefore = breakers == null ? null : breakers.snapshot();
            BenchProfiler coldProfiler = coldProfile == null ? null : BenchProfiler.start(servicePid, coldProfile);
            first.drive(scoring, health, coldStart);
            first.awaitCompletion(5_000);
            Map<String, Double> after = cpu.snapshot();
            if (coldProfiler != null) {
                coldProfiler.stop();
            }
            System.out.printf("%ncold phase: the first %.0f s after ready, no warm-up%n", cold);
            Map<String, Long> breakersAfter = breakers == null ? null : breakers.snapshot();
            first.report(null, budgetMs, HealthProbe.result(probe, 30));
            System.out.println(ProcessCpu.perScore(before, after, first.calls));
            if (breakers != null) {
                System.out.println(BreakerTransitions.between(breakersBefore, breakersAfter));
            }
        }
        // The measured phase's floor warms itself during the warm-up phase.
        Process floorProbe = HealthProbe.spawn(rps, duration);
        Phase warm = new Phase(rps, warmup, runId + "-w");
        warm.drive(scoring, health, System.nanoTime() + 1_000_000);
        warm.awaitCompletion(5_000);
        Summary warmed = warm.summarise(0, warm.calls);
        System.out.printf("warm-up: %d Score calls, %d errors, fallbacks %s%s%n", warmed.score.getTotalCount(),
                warmed.scoreErrors, warmed.fallbacksText(), warm.errorCodes.isEmpty() ? "" : ", errors by status "
                        + warm.errorCodes);
        if (ownFeatures) {
            // One warm call, so a run against features that did not load says so instead of measuring another path.
            try {
                ScoreResponse probe = RiskScoringServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS).score(request(runId + "-probe", "bench-acct-1", 12_345));
                System.out.println("probe Score (bench-acct-1): fallback " + probe.getFallback()
                        + (probe.getFallback() ? " (" + probe.getFallbackCause() + ")" : "") + ", feature issues "
                        + probe.getFeatureIssuesList().stream().map(i -> i.getFeature() + " " + i.getStatus()).toList());
            } catch (io.grpc.StatusRuntimeException e) {
                System.out.println("probe Score FAILED (a well-formed request must never get an error status): "
                        + e.getStatus());
            }
        }
        System.gc();
        Thread.sleep(500);
        Phase measured = new Phase(rps, duration, runId + "-m");
        // Long enough for the health probe's JVM to start and connect before the first tick.
        long start = System.nanoTime() + 1_500_000_000L;
        StallWindow window = null;
        Thread staller = null;
        if (stallTarget != null) {
            window = new StallWindow(stallTarget, start, (long) (duration * 1e9 / 3), (long) (duration * 2e9 / 3));
            staller = new Thread(window, "bench-stall");
            staller.setDaemon(true);
            staller.start();
        }
        HealthProbe.go(floorProbe, host, port, System.currentTimeMillis() + (start - System.nanoTime()) / 1_000_000);
        Map<String, Double> before = cpu.snapshot();
        Map<String, Long> breakersBefore = breakers == null ? null : breakers.snapshot();
        BenchProfiler profiler = profile == null ? null : BenchProfiler.start(servicePid, profile);
        measured.drive(scoring, health, start);
        if (staller != null) {
            staller.join(TimeUnit.SECONDS.toMillis(30));
        }
        measured.awaitCompletion(10_000);
        Map<String, Double> after = cpu.snapshot();
        Map<String, Long> breakersAfter = breakers == null ? null : breakers.snapshot();
        if (profiler != null) {
            profiler.stop();
        }
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.printf("%nwarm phase (after %.0f s of warm-up):%n", warmup);
        measured.report(window, budgetMs, HealthProbe.result(floorProbe, 30));
        System.out.println(ProcessCpu.perScore(before, after, measured.calls));
        if (breakers != null) {
            System.out.println(BreakerTransitions.between(breakersBefore, breakersAfter));
        }
    }

    /**
     * Freezes feature-service a third into the measured phase and resumes it after another third. The stalled window
     * is from when SIGSTOP had surely been delivered (kill returned) to when SIGCONT was about to be sent.
     */
    static final class StallWindow implements Runnable {
        final BenchFeatureService features;
        final long phaseStart;
        final long stopAfter;
        final long resumeAfter;
        volatile long stoppedAt = -1;
        volatile long resumedAt = -1;
        volatile Throwable failure;

        StallWindow(BenchFeatureService features, long phaseStart, long stopAfter, long resumeAfter) {
            this.features = features;
            this.phaseStart = phaseStart;
            this.stopAfter = stopAfter;
            this.resumeAfter = resumeAfter;
        }

        @Override
        public void run() {
            try {
                sleepUntil(phaseStart + stopAfter);
                features.freeze();
                stoppedAt = System.nanoTime();
                System.out.printf("  SIGSTOP feature-service (pid %d) at +%.3f s%n", features.pid(),
                        (stoppedAt - phaseStart) / 1e9);
                sleepUntil(phaseStart + resumeAfter);
                resumedAt = System.nanoTime();
                features.thaw();
                System.out.printf("  SIGCONT feature-service (pid %d) at +%.3f s%n", features.pid(),
                        (resumedAt - phaseStart) / 1e9);
            } catch (Throwable t) {
                failure = t;
                try {
                    features.thaw();
                } catch (Exception | Error ignored) {
                    // the shutdown path sends SIGCONT again
                }
            }
        }

        private static void sleepUntil(long nanoTime) throws InterruptedException {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    /**
     * One open-loop phase: requests are built before it starts; each tick sends one Score and one Health/Check.
     * Outcomes are kept per call (indexed by tick, so by due time) and summarised after the phase, for the whole phase
     * or any window of it.
     */
    static final class Phase {
        private static final byte PENDING = 0;
        private static final byte OK = 1;
        private static final byte ERROR = 2;
        /** Fallback outcomes are FALLBACK_OFFSET + the cause's number. */
        private static final byte FALLBACK_OFFSET = 16;

        final int rps;
        final int calls;
        final long interval;
        final ScoreRequest[] requests;
        final long[] scoreLatency;
        final long[] checkLatency;
        final long[] lateness;
        final byte[] scoreOutcome;
        final boolean[] checkFailed;
        final AtomicLong outstanding = new AtomicLong();
        final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
        /** Answers by decision: the mix decides how much of the path runs (reasons are owed only off approvals). */
        final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
        long start;

        Phase(int rps, double seconds, String prefix) {
            this.rps = rps;
            this.calls = (int) Math.round(rps * seconds);
            this.interval = 1_000_000_000L / rps;
            this.requests = new ScoreRequest[calls];
            this.scoreLatency = new long[calls];
            this.checkLatency = new long[calls];
            this.lateness = new long[calls];
            this.scoreOutcome = new byte[calls];
            this.checkFailed = new boolean[calls];
            for (int i = 0; i < calls; i++) {
                requests[i] = request(prefix + "-" + i, "bench-acct-" + (i % ACCOUNTS), 1_000 + (i * 7919L) % 90_000);
            }
        }

        void drive(RiskScoringServiceGrpc.RiskScoringServiceFutureStub[] scoring, HealthGrpc.HealthFutureStub health,
                long startNanos) {
            this.start = startNanos;
            HealthCheckRequest healthRequest = HealthCheckRequest.getDefaultInstance();
            for (int n = 0; n < calls; n++) {
                final int i = n;
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
                lateness[i] = Math.max(0, now - due);
                outstanding.addAndGet(2);
                ListenableFuture<ScoreResponse> s = scoring[i % scoring.length].withDeadlineAfter(2, TimeUnit.SECONDS)
                        .score(requests[i]);
                Futures.addCallback(s, new FutureCallback<>() {
                    @Override
                    public void onSuccess(ScoreResponse r) {
                        scoreLatency[i] = System.nanoTime() - due;
                        scoreOutcome[i] = r.getFallback() ? (byte) (FALLBACK_OFFSET + r.getFallbackCauseValue()) : OK;
                        decisions.computeIfAbsent(r.getDecision().name().replace("DECISION_", "")
                                + (r.getReasonsCount() > 0 ? " (explained)" : ""), d -> new LongAdder()).increment();
                        outstanding.decrementAndGet();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        scoreLatency[i] = System.nanoTime() - due;
                        scoreOutcome[i] = ERROR;
                        errorCodes.computeIfAbsent("Score " + errorKey(t),
                                c -> new LongAdder()).increment();
                        outstanding.decrementAndGet();
                    }
                }, MoreExecutors.directExecutor());
                ListenableFuture<HealthCheckResponse> h = health.withDeadlineAfter(2, TimeUnit.SECONDS).check(healthRequest);
                Futures.addCallback(h, new FutureCallback<>() {
                    @Override
                    public void onSuccess(HealthCheckResponse r) {
                        checkLatency[i] = System.nanoTime() - due;
                        outstanding.decrementAndGet();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        checkLatency[i] = System.nanoTime() - due;
                        checkFailed[i] = true;
                        errorCodes.computeIfAbsent("Health " + errorKey(t),
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

        /** First tick due at or after {@code nanoTime}. */
        int tickAt(long nanoTime) {
            return (int) Math.max(0, Math.min(calls, -Math.floorDiv(start - nanoTime, interval)));
        }

        void report(StallWindow window, double budgetMs, String outsideHealth) {
            if (window != null) {
                System.out.printf("whole measured phase (%.0f s):%n", calls / (double) rps);
            }
            Summary all = summarise(0, calls);
            all.print();
            double floor = HealthProbe.p99(outsideHealth);
            System.out.println("Health/Check from a JVM of its own: " + outsideHealth);
            System.out.printf("%nScore p99 / Health p99 (own JVM) = %.2f   (goal <= 4.0%s); against the same-connection"
                    + " Health/Check it would be %.2f%n", ms(all.score.getValueAtPercentile(99)) / floor,
                    window != null ? "; with stalled features the goal is 0 errors and Score p99 <= budget + 2 ms,"
                            + " judged on the stalled window below" : "", all.ratio());
            System.out.println("fallbacks: " + all.fallbacksText());
            Map<String, Long> mix = new java.util.TreeMap<>();
            decisions.forEach((k, v) -> mix.put(k, v.sum()));
            System.out.println("decisions: " + mix);
            if (window != null) {
                if (window.failure != null) {
                    System.out.println("\nthe stall did not happen as planned: " + window.failure);
                } else if (window.stoppedAt < 0 || window.resumedAt < 0) {
                    System.out.println("\nthe stall did not complete (SIGSTOP or SIGCONT missing)");
                } else {
                    int from = tickAt(window.stoppedAt);
                    int to = tickAt(window.resumedAt);
                    System.out.printf("%nstalled window (calls due from SIGSTOP at +%.3f s to SIGCONT at +%.3f s):%n",
                            (window.stoppedAt - start) / 1e9, (window.resumedAt - start) / 1e9);
                    Summary stalled = summarise(from, to);
                    stalled.print();
                    double p99 = ms(stalled.score.getValueAtPercentile(99));
                    boolean met = stalled.scoreErrors == 0 && p99 <= budgetMs + 2;
                    System.out.printf("%nstalled goal: 0 errors and Score p99 <= budget + 2 ms = %.0f ms: %d errors,"
                            + " p99 %.3f ms -> %s%n", budgetMs + 2, stalled.scoreErrors, p99, met ? "met" : "MISSED");
                    System.out.println("fallbacks: " + stalled.fallbacksText());
                    third("before SIGSTOP", summarise(0, from));
                    third("after SIGCONT", summarise(to, calls));
                }
            }
            if (!errorCodes.isEmpty()) {
                Map<String, Long> errors = new java.util.TreeMap<>();
                errorCodes.forEach((k, v) -> errors.put(k, v.sum()));
                System.out.println("errors by status: " + errors);
            }
            System.out.println("still outstanding at the end: " + outstanding.get());
        }

        private static void third(String name, Summary sum) {
            System.out.printf("%s: %d Score calls, %d errors, p99 %.3f ms (Health/Check p99 %.3f ms), fallbacks %s%n",
                    name, sum.score.getTotalCount(), sum.scoreErrors, ms(sum.score.getValueAtPercentile(99)),
                    ms(sum.check.getValueAtPercentile(99)), sum.fallbacksText());
        }

        Summary summarise(int from, int to) {
            Summary sum = new Summary();
            for (int i = from; i < to; i++) {
                sum.lateness.recordValue(Math.min(lateness[i], MAX_NANOS));
                if (scoreOutcome[i] != PENDING) {
                    sum.score.recordValue(Math.min(scoreLatency[i], MAX_NANOS));
                    if (scoreOutcome[i] == ERROR) {
                        sum.scoreErrors++;
                    } else if (scoreOutcome[i] >= FALLBACK_OFFSET) {
                        sum.fallbacks.merge(FallbackCause.forNumber(scoreOutcome[i] - FALLBACK_OFFSET), 1L, Long::sum);
                    }
                }
                if (checkLatency[i] > 0) {
                    sum.check.recordValue(Math.min(checkLatency[i], MAX_NANOS));
                    if (checkFailed[i]) {
                        sum.checkErrors++;
                    }
                }
            }
            return sum;
        }
    }

    /** Status code and the start of its description: enough to tell a server's answer from a broken connection. */
    static String errorKey(Throwable t) {
        io.grpc.Status status = io.grpc.Status.fromThrowable(t);
        String description = status.getDescription();
        if (description == null) {
            return status.getCode().toString();
        }
        // Numbers (elapsed times, stream ids) would make every error a key of its own.
        String shape = description.replaceAll("[0-9][0-9.]*", "#");
        return status.getCode() + " (" + shape.substring(0, Math.min(240, shape.length())) + ")";
    }

    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Latencies, errors and fallbacks of a range of ticks. */
    static final class Summary {
        final Histogram score = new Histogram(MAX_NANOS, 3);
        final Histogram check = new Histogram(MAX_NANOS, 3);
        final Histogram lateness = new Histogram(MAX_NANOS, 3);
        final Map<FallbackCause, Long> fallbacks = new EnumMap<>(FallbackCause.class);
        long scoreErrors;
        long checkErrors;

        void print() {
            System.out.println("                       calls  errors     p50 ms     p99 ms   p99.9 ms     max ms");
            line("Score", score, scoreErrors);
            line("Health (same conn.)", check, checkErrors);
            System.out.printf("%-16s %10s %7s %10.3f %10.3f %10.3f %10.3f%n", "client lateness", "", "",
                    ms(lateness.getValueAtPercentile(50)), ms(lateness.getValueAtPercentile(99)),
                    ms(lateness.getValueAtPercentile(99.9)), ms(lateness.getMaxValue()));
        }

        double ratio() {
            return (double) score.getValueAtPercentile(99) / Math.max(1, check.getValueAtPercentile(99));
        }

        String fallbacksText() {
            return fallbacks.isEmpty() ? "none" : fallbacks.toString();
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

    /** Starts scoring-service with its gRPC server on {@code port} and HTTP (health) on {@code httpPort}. */
    private static Process startService(Path root, int port, int httpPort, int featuresPort, PostgresServer pg,
            Map<String, String> opt) throws Exception {
        Path jar = root.resolve("scoring-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build it first (./mvnw -pl scoring-service package -DskipTests)");
        }
        String pgHost = pg.host();
        String pgPort = Integer.toString(pg.port());
        String pgUser = pg.user();
        String pgPassword = pg.password();
        String database = "vigil_scoring_bench";
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
        }
        Path log = Files.createTempFile("vigil-bench-scoring-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx384m"));
        // --service-jvm "-XX:AOTCache=..." : JVM options of the scoring-service process (AOT cache, CDS, GC)
        cmd.addAll(jvmOptions(opt.get("service-jvm")));
        cmd.addAll(List.of(
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.grpc.server.port=" + port,
                "-Dscoring.features.port=" + featuresPort,
                "-Dscoring.models.dir=" + root.resolve("models"),
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database,
                "-Dquarkus.datasource.reactive.url=postgresql://" + pgHost + ":" + pgPort + "/" + database,
                "-Dquarkus.datasource.username=" + pgUser,
                "-Dquarkus.datasource.password=" + pgPassword,
                "-Dkafka.bootstrap.servers=" + opt.get("kafka"),
                // The bench calls no REST, but the service is only ready with a key to verify tokens with.
                "-Dmp.jwt.verify.publickey.location=" + TestTokens.publicKeyFile(),
                "-Dmp.jwt.verify.issuer=" + TestTokens.ISSUER,
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
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 120_000;
        long live = -1;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("scoring-service exited with " + p.exitValue() + "; see " + log);
            }
            try {
                // Ready, not live: readiness waits for the service's own warm-up, and the cold phase is what a
                // checkout sees once the pod says ready.
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort
                        + (live < 0 ? "/q/health/live" : "/q/health/ready")).toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(1000);
                if (c.getResponseCode() == 200) {
                    if (live >= 0) {
                        System.out.printf("scoring-service live after %.1f s, ready (warmed up) after %.1f s%n",
                                (live - started) / 1e9, (System.nanoTime() - started) / 1e9);
                        return p;
                    }
                    live = System.nanoTime();
                    continue;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        p.destroy();
        throw new IllegalStateException("scoring-service did not become ready within 120 s; see " + log);
    }

    /**
     * The environment for {@link PostgresLocator}: {@code VIGIL_PG_URL} as given, else built from the older
     * {@code VIGIL_PG_HOST/PORT/USER/PASSWORD} when those are set (what ./bin/vigil passes to services).
     */
    private static Map<String, String> postgresEnv() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        String url = env.get(PostgresLocator.ENV);
        if ((url == null || url.isBlank()) && env.containsKey("VIGIL_PG_HOST")) {
            String password = env("VIGIL_PG_PASSWORD", "");
            env.put(PostgresLocator.ENV, "postgresql://" + env("VIGIL_PG_USER", "postgres")
                    + (password.isEmpty() ? "" : ":" + password) + "@" + env("VIGIL_PG_HOST", "127.0.0.1") + ":"
                    + env("VIGIL_PG_PORT", "5432"));
        }
        return env;
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

    /** "a=b,c=d" as a map (--features-set). */
    static Map<String, String> settings(String list) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (list != null && !list.isBlank()) {
            for (String kv : list.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value, got '" + kv + "'");
                }
                settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return settings;
    }

    /** Space-separated JVM options (--service-jvm, --features-jvm). */
    static List<String> jvmOptions(String options) {
        return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            if (key.equals("stall-features") || key.equals("stack")) {
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
