package io.vigil.scoring.warmup;

import java.util.SplittableRandom;
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
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.decisions.DecisionStore;
import io.vigil.scoring.model.ModelLineup;
import io.vigil.scoring.model.ModelRegistry;
import io.vigil.scoring.model.ScoringModel;
import io.vigil.service.warmup.CompilerActivity;
import io.vigil.service.warmup.SelfCalls;
import io.vigil.service.warmup.WarmUpRounds;

/**
 * A pod is warm when it says ready. Before readiness turns UP, the service sends itself Score calls over its own gRPC
 * port (transport, validation, the feature call, the rules, serialization: the path a checkout's first calls take) and
 * runs every model of the line-up, score and explanation, on varied inputs (the warm-up's accounts have no stored
 * features, so their calls end in the coverage rule and would leave the model cold). Bounded in calls and in time; the
 * time it took is logged and shown by the readiness check.
 */
@ApplicationScoped
@Readiness
public class ScoringWarmUp implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ScoringWarmUp.class);
    private static final long[] AMOUNTS_MINOR = {15_00, 120_00, 480_00, 900_00, 2_500_00};
    private static final Channel[] CHANNELS = {Channel.CHANNEL_WEB, Channel.CHANNEL_APP};

    private final ScoringConfig config;
    private final ModelRegistry models;
    private final DecisionStore store;
    private final int grpcPort;
    private volatile String state = "not started";
    private volatile boolean done;

    ScoringWarmUp(ScoringConfig config, ModelRegistry models, DecisionStore store,
            @ConfigProperty(name = "quarkus.grpc.server.port", defaultValue = "9000") int port,
            @ConfigProperty(name = "quarkus.grpc.server.test-port", defaultValue = "9001") int testPort) {
        this.config = config;
        this.models = models;
        this.store = store;
        this.grpcPort = LaunchMode.current() == LaunchMode.TEST ? testPort : port;
    }

    /** Late, after messaging and the registry have started; blocks start-up so tests begin with a warm service. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent started) {
        run();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scoring warm-up").status(done).withData("state", state).build();
    }

    void run() {
        ScoringConfig.WarmUp settings = config.warmUp();
        long begin = System.nanoTime();
        long deadline = begin + settings.maxDuration().toNanos();
        int modelRuns = warmModels(settings.modelRuns(), deadline);
        long modelsNanos = System.nanoTime() - begin;
        CompilerActivity jit = new CompilerActivity();
        WarmUpRounds.Outcome calls = WarmUpRounds.run(n -> callSelf(n, settings.concurrency(), deadline),
                settings.calls(), settings.compilerQuietShare(), deadline, jit::share);
        long total = System.nanoTime() - begin;
        state = String.format("%d model runs in %d ms; %d Score calls (%d failed) in %d ms, %d extra rounds, %d claims "
                + "rolled back; last calls p50 %.2f ms, p99 %.2f ms; JIT compiling %.0f%% of the last round; %d ms in "
                + "all", modelRuns, modelsNanos / 1_000_000, calls.sent(), calls.failed(),
                (total - modelsNanos) / 1_000_000, calls.extraRounds(), store.warmClaimsRolledBack(),
                calls.last().tailMillis(0.5), calls.last().tailMillis(0.99), 100 * calls.compilerShare(),
                total / 1_000_000);
        done = true;
        if (total > settings.maxDuration().toNanos()) {
            LOG.warnf("warm-up stopped at its limit of %s: %s", settings.maxDuration(), state);
        } else {
            LOG.infof("warm-up: %s", state);
        }
    }

    private int warmModels(int runs, long deadline) {
        ModelLineup lineup = models.current();
        java.util.List<ScoringModel> all = new java.util.ArrayList<>();
        all.add(lineup.champion());
        if (lineup.challenger() != null) {
            all.add(lineup.challenger());
        }
        all.addAll(lineup.shadows());
        SplittableRandom random = new SplittableRandom(7);
        int[] top = new int[3];
        double[] contributions = new double[3];
        float[] x = new float[PaymentFeature.values().length];
        int done = 0;
        for (int i = 0; i < runs && System.nanoTime() < deadline; i++) {
            for (int f = 0; f < x.length; f++) {
                // Missing values take the trees' default branches: a share of them keeps those paths warm too.
                x[f] = random.nextInt(10) == 0 ? Float.NaN : (float) (random.nextDouble() * 1_000);
            }
            for (ScoringModel m : all) {
                m.score(x);
                m.explain(x, top, contributions);
            }
            done++;
        }
        return done;
    }

    private SelfCalls.Result callSelf(int calls, int concurrency, long deadline) {
        Metadata marker = new Metadata();
        marker.put(WarmUpCalls.HEADER, "1");
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            var stub = RiskScoringServiceGrpc.newFutureStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(marker));
            SplittableRandom random = new SplittableRandom(11);
            return SelfCalls.run(calls, concurrency, deadline,
                    i -> stub.withDeadlineAfter(2, TimeUnit.SECONDS).score(request(i, random)),
                    t -> LOG.warnf("warm-up call failed (%s); the warm-up goes on", Status.fromThrowable(t)));
        } finally {
            channel.shutdownNow();
        }
    }

    private static ScoreRequest request(int i, SplittableRandom random) {
        return ScoreRequest.newBuilder()
                .setTransactionId("vigil-warm-up-" + i)
                .setAccountId("vigil-warm-up-" + (i % 64))
                .setAmount(Money.newBuilder().setAmountMinor(AMOUNTS_MINOR[i % AMOUNTS_MINOR.length]).setCurrency("USD"))
                .setMerchantId("vigil-warm-up")
                .setMerchantCategoryCode("5732")
                .setChannel(CHANNELS[i % CHANNELS.length])
                .setCardBinCountry(random.nextBoolean() ? "US" : "CA")
                .setIpCountry("US")
                .setBillingCountry("US")
                .setDeviceId("vigil-warm-up-" + (i % 16))
                .build();
    }
}
