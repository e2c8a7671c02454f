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
 * <p>Run by {@link ScoringBench} as a child process: {@code HealthProbe host port rps seconds startEpochMillis}; prints
 * one line, {@code health-probe n=.. errors=.. p50=.. p99=.. p999=.. max=..} (milliseconds).
 */
public final class HealthProbe {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int rps = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long startEpochMillis = Long.parseLong(args[4]);
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

    /** A probe running in its own JVM (this class path), started now, measuring from {@code startEpochMillis}. */
    static Process spawn(String host, int port, int rps, double seconds, long startEpochMillis) throws Exception {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HealthProbe.class.getName(), host, Integer.toString(port), Integer.toString(rps),
                Double.toString(seconds), Long.toString(startEpochMillis))).redirectErrorStream(true).start();
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
