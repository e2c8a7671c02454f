package io.vigil.scoring.features;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.contracts.scoring.v1.FallbackCause;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vertx.core.Vertx;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.metrics.ScoringMetrics;

/**
 * Async gRPC client of feature-service's GetFeatures. Each call carries its own deadline (its share of the Score
 * budget); a SmallRye Fault Tolerance circuit breaker stops calling a feature-service that keeps failing, so a dead
 * dependency costs no time at all. Callbacks run on the channel's transport thread: the work after them is a few
 * microseconds of tree walking, cheaper than a hop to a worker pool.
 */
@ApplicationScoped
public class FeatureStoreClient {

    private static final TypeLiteral<Uni<GetFeaturesResponse>> UNI_RESPONSE = new TypeLiteral<>() {
    };

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FeatureStoreClient.class);

    private final ManagedChannel channel;
    private final FeatureStoreServiceGrpc.FeatureStoreServiceStub stub;
    /**
     * One channel per Vert.x event loop, its connection on that loop: a Score call (on the loop of its server
     * connection) fetches over the channel of its own loop, so the answer comes back on the thread that carries on
     * with the call, without the cross-thread wake-ups a separate client loop costs.
     */
    private final EventLoop[] loops;
    private final ManagedChannel[] loopChannels;
    private final FeatureStoreServiceGrpc.FeatureStoreServiceStub[] loopStubs;
    private final Guard breaker;
    private final String featureSetVersion;

    FeatureStoreClient(ScoringConfig config, Vertx vertx, ScoringMetrics metrics) {
        ScoringConfig.Features f = config.features();
        this.channel = ManagedChannelBuilder.forAddress(f.host(), f.port()).usePlaintext().directExecutor().build();
        this.stub = FeatureStoreServiceGrpc.newStub(channel);
        List<EventLoop> found = new ArrayList<>();
        for (EventExecutor e : vertx.nettyEventLoopGroup()) {
            if (e instanceof EventLoop loop) {
                found.add(loop);
            }
        }
        this.loops = found.toArray(EventLoop[]::new);
        this.loopChannels = new ManagedChannel[loops.length];
        this.loopStubs = new FeatureStoreServiceGrpc.FeatureStoreServiceStub[loops.length];
        for (int i = 0; i < loops.length; i++) {
            loopChannels[i] = NettyChannelBuilder.forAddress(f.host(), f.port()).usePlaintext().directExecutor()
                    .eventLoopGroup(loops[i]).channelType(NioSocketChannel.class).build();
            loopStubs[i] = FeatureStoreServiceGrpc.newStub(loopChannels[i]);
        }
        this.featureSetVersion = f.featureSetVersion();
        this.breaker = Guard.create()
                .withDescription("feature-store")
                .withCircuitBreaker()
                .name("feature-store")
                .requestVolumeThreshold(f.breakerRequestVolume())
                .failureRatio(f.breakerFailureRatio())
                .delay(f.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .onStateChange(state -> {
                    metrics.featureBreakerTransition(state.name());
                    LOG.warnf("feature-service circuit breaker is now %s", state);
                })
                .done()
                .build();
    }

    /** Fetches the stored features of the request's entities within {@code deadlineNanos}; never fails. */
    public Uni<FeatureFetch> fetch(ScoreRequest r, long deadlineNanos) {
        GetFeaturesRequest.Builder request = GetFeaturesRequest.newBuilder()
                .setFeatureSetVersion(featureSetVersion)
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId(r.getAccountId()));
        if (!r.getMerchantId().isEmpty()) {
            request.addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId(r.getMerchantId()));
        }
        if (!r.getDeviceId().isEmpty()) {
            request.addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_DEVICE).setId(r.getDeviceId()));
        }
        GetFeaturesRequest built = request.build();
        long start = System.nanoTime();
        Uni<GetFeaturesResponse> guarded = breaker.get(() -> call(built, deadlineNanos), UNI_RESPONSE);
        return guarded
                .map(response -> new FeatureFetch(response, FallbackCause.FALLBACK_CAUSE_NONE, System.nanoTime() - start))
                .onFailure().recoverWithItem(e -> new FeatureFetch(null, causeOf(e), System.nanoTime() - start));
    }

    /** The stub whose connection lives on the calling event loop, or the shared one off the loops (warm-up, tests). */
    private FeatureStoreServiceGrpc.FeatureStoreServiceStub stubForThisThread() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return loopStubs[i];
            }
        }
        return stub;
    }

    private Uni<GetFeaturesResponse> call(GetFeaturesRequest request, long deadlineNanos) {
        FeatureStoreServiceGrpc.FeatureStoreServiceStub onThisLoop = stubForThisThread();
        return Uni.createFrom().emitter(em -> onThisLoop.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)
                .getFeatures(request, new StreamObserver<>() {
                    private GetFeaturesResponse response;

                    @Override
                    public void onNext(GetFeaturesResponse value) {
                        response = value;
                    }

                    @Override
                    public void onError(Throwable t) {
                        em.fail(t);
                    }

                    @Override
                    public void onCompleted() {
                        em.complete(response);
                    }
                }));
    }

    static FallbackCause causeOf(Throwable e) {
        if (e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return FallbackCause.FALLBACK_CAUSE_FEATURE_TIMEOUT;
        }
        return FallbackCause.FALLBACK_CAUSE_FEATURE_UNAVAILABLE;
    }

    @PreDestroy
    void close() {
        channel.shutdownNow();
        for (ManagedChannel c : loopChannels) {
            c.shutdownNow();
        }
    }
}
