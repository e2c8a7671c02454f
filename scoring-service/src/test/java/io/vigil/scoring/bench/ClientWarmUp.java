package io.vigil.scoring.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;

/**
 * Warms the bench's own client code (gRPC, Netty, protobuf, the open-loop driver) against a stand-in server inside
 * this JVM, before the service is started. A cold phase measures a cold <em>service</em>: a load generator whose own
 * JIT is still compiling sends late and reads late (the bench once reported 0.7 s of client lateness at p99 in the
 * first 20 s), and that lateness was counted against the service. The stand-in answers a canned decision, so the
 * service under test gets nothing from this.
 */
final class ClientWarmUp {

    private static final ScoreResponse CANNED = ScoreResponse.newBuilder().setDecisionId("warm-up")
            .setDecision(Decision.DECISION_APPROVE).setScore(0.01).setModelVersion("stand-in").setCohort("default")
            .build();

    private ClientWarmUp() {
    }

    /** Sends Score and Health/Check at {@code rps} each for {@code seconds} to a stand-in; returns the calls answered. */
    static long run(int rps, double seconds, boolean score) throws Exception {
        // Service definitions built from the descriptors, not subclasses of the generated *ImplBase: this class sits
        // in the test tree Quarkus indexes for @QuarkusTest, and a second implementation of RiskScoringService there
        // left the real one unregistered (UNIMPLEMENTED for every Score in the module's tests).
        // By service name, not descriptor: a descriptor-built definition must bind every method (Health/Watch too).
        ServerServiceDefinition scoreService = ServerServiceDefinition
                .builder(RiskScoringServiceGrpc.SERVICE_NAME)
                .addMethod(RiskScoringServiceGrpc.getScoreMethod(), ServerCalls.asyncUnaryCall(
                        (ScoreRequest request, StreamObserver<ScoreResponse> answer) -> {
                            answer.onNext(CANNED.toBuilder().setDecisionId(request.getTransactionId()).build());
                            answer.onCompleted();
                        }))
                .build();
        ServerServiceDefinition healthService = ServerServiceDefinition.builder(HealthGrpc.SERVICE_NAME)
                .addMethod(HealthGrpc.getCheckMethod(), ServerCalls.asyncUnaryCall(
                        (HealthCheckRequest request, StreamObserver<HealthCheckResponse> answer) -> {
                            answer.onNext(HealthCheckResponse.newBuilder()
                                    .setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
                            answer.onCompleted();
                        }))
                .build();
        Server server = ServerBuilder.forPort(0).addService(scoreService).addService(healthService).build().start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .directExecutor().build();
        AtomicLong answered = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        try {
            var scoring = RiskScoringServiceGrpc.newFutureStub(channel);
            var health = HealthGrpc.newFutureStub(channel);
            FutureCallback<Object> done = new FutureCallback<>() {
                @Override
                public void onSuccess(Object result) {
                    answered.incrementAndGet();
                    outstanding.decrementAndGet();
                }

                @Override
                public void onFailure(Throwable t) {
                    outstanding.decrementAndGet();
                }
            };
            int calls = (int) Math.round(rps * seconds);
            long interval = 1_000_000_000L / rps;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long due = start + i * interval;
                long left;
                while ((left = due - System.nanoTime()) > 0) {
                    if (left > 200_000) {
                        LockSupport.parkNanos(left - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                if (score) {
                    outstanding.incrementAndGet();
                    Futures.addCallback(scoring.withDeadlineAfter(2, TimeUnit.SECONDS)
                            .score(ScoringBench.request("warm-" + i, "warm-acct-" + (i % 100), 1_000 + i)), done,
                            MoreExecutors.directExecutor());
                }
                outstanding.incrementAndGet();
                Futures.addCallback(health.withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()), done, MoreExecutors.directExecutor());
            }
            long deadline = System.currentTimeMillis() + 5_000;
            while (outstanding.get() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        return answered.get();
    }
}
