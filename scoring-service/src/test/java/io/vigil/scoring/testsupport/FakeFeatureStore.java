package io.vigil.scoring.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.features.v1.ServedFeature;

/**
 * A real gRPC server of vigil.features.v1.FeatureStoreService on a loopback port, with canned answers per entity and
 * switchable misbehaviour (delay, failure, stopped). Stands in for feature-service, as the issue allows.
 */
public final class FakeFeatureStore implements AutoCloseable {

    private final int port;
    private final Map<String, List<ServedFeature>> byEntity = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile long delayMillis;
    private volatile Status failure;
    private volatile GetFeaturesRequest lastRequest;
    private Server server;

    public FakeFeatureStore(int port) {
        this.port = port;
    }

    public static FakeFeatureStore startOnFreePort() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        FakeFeatureStore store = new FakeFeatureStore(port);
        store.start();
        return store;
    }

    public synchronized void start() throws IOException {
        server = ServerBuilder.forPort(port).addService(new Service()).build().start();
    }

    /** Closes the port: callers see connection refused. */
    public synchronized void stop() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public void reset() {
        delayMillis = 0;
        failure = null;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    public void fail(Status status) {
        failure = status;
    }

    public int calls() {
        return calls.get();
    }

    public GetFeaturesRequest lastRequest() {
        return lastRequest;
    }

    public void put(EntityType type, String id, List<ServedFeature> features) {
        byEntity.put(type + "/" + id, features);
    }

    public static ServedFeature ok(String name, FeatureValue value) {
        return ServedFeature.newBuilder().setName(name).setStatus(FeatureStatus.FEATURE_STATUS_OK).setValue(value).build();
    }

    public static ServedFeature ok(String name, long value) {
        return ok(name, FeatureValue.newBuilder().setLongValue(value).build());
    }

    public static ServedFeature ok(String name, double value) {
        return ok(name, FeatureValue.newBuilder().setDoubleValue(value).build());
    }

    public static ServedFeature ok(String name, String label) {
        return ok(name, FeatureValue.newBuilder().setStringValue(label).build());
    }

    public static ServedFeature ok(String name, boolean value) {
        return ok(name, FeatureValue.newBuilder().setBoolValue(value).build());
    }

    public static ServedFeature flagged(String name, FeatureStatus status, long value) {
        return ServedFeature.newBuilder().setName(name).setStatus(status)
                .setValue(FeatureValue.newBuilder().setLongValue(value)).build();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        timer.shutdownNow();
    }

    private final class Service extends FeatureStoreServiceGrpc.FeatureStoreServiceImplBase {
        @Override
        public void getFeatures(GetFeaturesRequest request, StreamObserver<GetFeaturesResponse> out) {
            calls.incrementAndGet();
            lastRequest = request;
            Status fail = failure;
            Runnable answer = () -> {
                if (fail != null) {
                    out.onError(fail.asRuntimeException());
                    return;
                }
                GetFeaturesResponse.Builder response = GetFeaturesResponse.newBuilder()
                        .setFeatureSetVersion(request.getFeatureSetVersion());
                for (EntityKey key : request.getEntitiesList()) {
                    for (ServedFeature f : byEntity.getOrDefault(key.getType() + "/" + key.getId(), List.of())) {
                        response.addFeatures(f.toBuilder().setEntity(key));
                    }
                }
                out.onNext(response.build());
                out.onCompleted();
            };
            long delay = delayMillis;
            if (delay > 0) {
                timer.schedule(answer, delay, TimeUnit.MILLISECONDS);
            } else {
                answer.run();
            }
        }
    }
}
