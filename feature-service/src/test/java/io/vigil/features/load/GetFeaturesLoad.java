package io.vigil.features.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;

/**
 * Open-loop load generator for GetFeatures (run from its own JVM against a running feature-service): sends at a fixed
 * rate whatever the answers do, records latency from the <em>intended</em> send time (so the client's own hiccups
 * count against it, no coordinated omission) and, separately, how late the client sent. Runs the same schedule against
 * grpc.health.v1 Health/Check as the baseline of this machine and server.
 *
 * <p>Usage: {@code GetFeaturesLoad host port rps seconds accounts} (accounts acc-0..acc-N-1, merchants m-0..m-99 and
 * devices d-0..d-99 must have been ingested).
 */
public final class GetFeaturesLoad {

    private GetFeaturesLoad() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int rps = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int accounts = Integer.parseInt(args[4]);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            FeatureStoreServiceGrpc.FeatureStoreServiceStub features = FeatureStoreServiceGrpc.newStub(channel);
            HealthGrpc.HealthStub health = HealthGrpc.newStub(channel);
            SplittableRandom random = new SplittableRandom(1L);
            List<GetFeaturesRequest> requests = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                requests.add(GetFeaturesRequest.newBuilder().setFeatureSetVersion("checkout-features@1")
                        .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId("acc-" + random.nextInt(accounts)))
                        .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId("m-" + random.nextInt(100)))
                        .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_DEVICE).setId("d-" + random.nextInt(100)))
                        .build());
            }
            HealthCheckRequest check = HealthCheckRequest.getDefaultInstance();
            Caller getFeatures = (i, observer) -> features.withDeadlineAfter(2, TimeUnit.SECONDS)
                    .getFeatures(requests.get(i % requests.size()), (StreamObserver<GetFeaturesResponse>) (StreamObserver<?>) observer);
            Caller checkHealth = (i, observer) -> health.withDeadlineAfter(2, TimeUnit.SECONDS)
                    .check(check, (StreamObserver<HealthCheckResponse>) (StreamObserver<?>) observer);

            run("warm-up GetFeatures", getFeatures, rps, Math.max(5, seconds / 3), false);
            run("warm-up Health/Check", checkHealth, rps, Math.max(3, seconds / 6), false);
            System.gc();
            run("GetFeatures (3 entities, 18 features)", getFeatures, rps, seconds, true);
            System.gc();
            run("grpc.health.v1 Health/Check (baseline)", checkHealth, rps, seconds, true);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    interface Caller {
        void call(int i, StreamObserver<Object> observer);
    }

    private static void run(String title, Caller caller, int rps, int seconds, boolean report) throws InterruptedException {
        Recorder latency = new Recorder(3);
        Recorder service = new Recorder(3);
        Histogram lateness = new Histogram(3);
        AtomicLong errors = new AtomicLong();
        long total = (long) rps * seconds;
        CountDownLatch done = new CountDownLatch((int) total);
        long interval = 1_000_000_000L / rps;
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < intended) {
                long wait = intended - now;
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            lateness.recordValue(now - intended);
            long sent = now;
            caller.call(i, new StreamObserver<>() {
                @Override
                public void onNext(Object value) {
                }

                @Override
                public void onError(Throwable t) {
                    errors.incrementAndGet();
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    long end = System.nanoTime();
                    latency.recordValue(end - intended);
                    service.recordValue(end - sent);
                    done.countDown();
                }
            });
        }
        done.await(30, TimeUnit.SECONDS);
        if (report) {
            Histogram l = latency.getIntervalHistogram();
            Histogram s = service.getIntervalHistogram();
            System.out.printf(Locale.ROOT, "%s at %d rps for %d s: %d ok, %d errors%n", title, rps, seconds,
                    l.getTotalCount(), errors.get());
            System.out.printf(Locale.ROOT, "  latency from intended send: p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
                    ms(l, 50), ms(l, 99), ms(l, 99.9), l.getMaxValue() / 1e6);
            System.out.printf(Locale.ROOT, "  latency from actual send:   p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms%n",
                    ms(s, 50), ms(s, 99), ms(s, 99.9));
            System.out.printf(Locale.ROOT, "  client send lateness:       p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    ms(lateness, 50), ms(lateness, 99), lateness.getMaxValue() / 1e6);
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
