package io.vigil.scoring.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;

/**
 * The bench's floor: grpc.health.v1 Health/Check, open loop, from a JVM and a connection of its own. The bench's
 * Score client saturates its own event loop and connection, so a health call sent beside it measured the client's
 * queue (18 ms p99 where an independent client saw 2-4 ms) and flattered the Score/Health ratio; this process sees
 * the server the way a second client does.
 *
 * <p>Run by {@link ScoringBench} as a child process: {@code HealthProbe rps seconds}; it warms itself, reads
 * "host port startEpochMillis" from stdin, and prints one line, {@code health-probe n=.. errors=.. p50=.. p99=..
 * p999=.. max=..} (milliseconds).
 */
public final class HealthProbe {

    public static void main(String[] args) throws Exception {
        int rps = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        // Warm this JVM's client code against a stand-in first, then wait for the bench to say when to start: the
        // floor must not include the probe's own JIT compiling (it was spawned 1.5 s before its phase and measured cold).
        long warmed = ClientWarmUp.run(rps, 8, false);
        System.out.println("probe warm-up: " + warmed + " Health/Check calls answered by an in-JVM stand-in");
        System.out.flush();
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (go == null) {
            return;
        }
        String[] target = go.trim().split(" ");
        String host = target[0];
        int port = Integer.parseInt(target[1]);
        long startEpochMillis = Long.parseLong(target[2]);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build();
        var health = HealthGrpc.newFutureStub(channel);
        // One call before the clock starts: the connection, not the server, would be measured by the first one.
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        int calls = (int) Math.round(rps * seconds);
        long interval = 1_000_000_000L / rps;
        long waitMillis = startEpochMillis - System.currentTimeMillis();
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
        long start = System.nanoTime();
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
            outstanding.incrementAndGet();
            Futures.addCallback(health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()),
                    new FutureCallback<HealthCheckResponse>() {
                        @Override
                        public void onSuccess(HealthCheckResponse r) {
                            recorder.recordValue(Math.min(System.nanoTime() - due, TimeUnit.SECONDS.toNanos(60)));
                            outstanding.decrementAndGet();
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            recorder.recordValue(Math.min(System.nanoTime() - due, TimeUnit.SECONDS.toNanos(60)));
                            errors.incrementAndGet();
                            outstanding.decrementAndGet();
                        }
                    }, MoreExecutors.directExecutor());
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (outstanding.get() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Histogram h = recorder.getIntervalHistogram();
        System.out.printf(java.util.Locale.ROOT, "health-probe n=%d errors=%d p50=%.3f p99=%.3f p999=%.3f max=%.3f%n",
                h.getTotalCount(), errors.get(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * A probe running in its own JVM (this class path), started now: it warms itself (about 8 s) and waits for
     * {@link #go}. Spawn it at least that long before its phase.
     */
    static Process spawn(int rps, double seconds) throws Exception {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HealthProbe.class.getName(), Integer.toString(rps), Double.toString(seconds)))
                .redirectErrorStream(true).start();
    }

    /** Tells a spawned probe to connect to {@code host:port} now and measure from {@code startEpochMillis}. */
    static void go(Process probe, String host, int port, long startEpochMillis) throws java.io.IOException {
        var in = probe.getOutputStream();
        in.write((host + " " + port + " " + startEpochMillis + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for a spawned probe and returns its result line, or the reason there is none. */
    static String result(Process probe, long timeoutSeconds) throws Exception {
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("health-probe ")) {
                    out.setLength(0);
                    out.append(line);
                } else if (out.isEmpty() || !out.toString().startsWith("health-probe ")) {
                    out.append(line).append('\n');
                }
            }
        }
        if (!probe.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            return "health probe did not finish";
        }
        return out.toString().trim();
    }

    /** p99 in ms from a result line, or NaN when the probe failed. */
    static double p99(String result) {
        for (String part : result.split(" ")) {
            if (part.startsWith("p99=")) {
                return Double.parseDouble(part.substring(4));
            }
        }
        return Double.NaN;
    }

    private HealthProbe() {
    }
}
