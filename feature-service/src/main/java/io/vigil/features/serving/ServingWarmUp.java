package io.vigil.features.serving;

import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;


import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.service.warmup.CompilerActivity;
import io.vigil.service.warmup.SelfCalls;
import io.vigil.service.warmup.WarmUpRounds;

/**
 * A pod is warm when it says ready. Before readiness turns UP, feature-service sends itself GetFeatures calls over its
 * own gRPC port, for entities nobody stored (so each one takes the database path a cache miss takes: the pool, the
 * statement, the decoding, the answer's assembly), bounded in calls and in time. Read-only: nothing is written.
 */
@ApplicationScoped
@Readiness
public class ServingWarmUp implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ServingWarmUp.class);

    private final FeaturesConfig.WarmUp settings;
    private final int grpcPort;
    private volatile String state = "not started";
    private volatile boolean done;

    ServingWarmUp(FeaturesConfig config,
            @ConfigProperty(name = "quarkus.grpc.server.port", defaultValue = "9000") int port,
            @ConfigProperty(name = "quarkus.grpc.server.test-port", defaultValue = "9001") int testPort) {
        this.settings = config.warmUp();
        this.grpcPort = LaunchMode.current() == LaunchMode.TEST ? testPort : port;
    }

    /** Late, after the contracts have loaded; blocks start-up so a test or a rollout begins with a warm service. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent started) {
        run();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("feature serving warm-up").status(done).withData("state", state).build();
    }

    void run() {
        long begin = System.nanoTime();
        long deadline = begin + settings.maxDuration().toNanos();
        WarmUpRounds.Outcome calls;
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            var stub = FeatureStoreServiceGrpc.newFutureStub(channel);
            CompilerActivity jit = new CompilerActivity();
            calls = WarmUpRounds.run(n -> SelfCalls.run(n, settings.concurrency(), deadline,
                    i -> stub.withDeadlineAfter(2, TimeUnit.SECONDS).getFeatures(request(i)),
                    t -> LOG.warnf("warm-up call failed (%s); the warm-up goes on", Status.fromThrowable(t))),
                    settings.calls(), settings.compilerQuietShare(), deadline, jit::share);
        } finally {
            channel.shutdownNow();
        }
        long total = System.nanoTime() - begin;
        state = String.format("%d GetFeatures calls (%d failed) in %d ms, %d extra rounds; last calls p50 %.2f ms, "
                + "p99 %.2f ms; JIT compiling %.0f%% of the last round", calls.sent(), calls.failed(),
                total / 1_000_000, calls.extraRounds(), calls.last().tailMillis(0.5), calls.last().tailMillis(0.99),
                100 * calls.compilerShare());
        done = true;
        if (total > settings.maxDuration().toNanos()) {
            LOG.warnf("warm-up stopped at its limit of %s: %s", settings.maxDuration(), state);
        } else {
            LOG.infof("warm-up: %s", state);
        }
    }

    private static GetFeaturesRequest request(int i) {
        return GetFeaturesRequest.newBuilder()
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId("vigil-warm-up-" + i))
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId("vigil-warm-up-" + i))
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_DEVICE).setId("vigil-warm-up-" + i))
                .build();
    }
}
