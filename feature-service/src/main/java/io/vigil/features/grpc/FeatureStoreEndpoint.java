package io.vigil.features.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.features.v1.FeatureStoreService;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.features.serving.FeatureServer;

/**
 * vigil.features.v1.FeatureStoreService. Honours the caller's deadline: an expired one is refused at once, and a
 * database load that would outlive it is abandoned with DEADLINE_EXCEEDED.
 */
@GrpcService
class FeatureStoreEndpoint implements FeatureStoreService {

    private final FeatureServer server;

    FeatureStoreEndpoint(FeatureServer server) {
        this.server = server;
    }

    @Override
    public Uni<GetFeaturesResponse> getFeatures(GetFeaturesRequest request) {
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null && deadline.isExpired()) {
            return Uni.createFrom().failure(Status.DEADLINE_EXCEEDED
                    .withDescription("deadline expired before GetFeatures started").asRuntimeException());
        }
        try {
            return server.getFeatures(request,
                    deadline == null ? null : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)))
                    // a database failure is the store being unavailable to the caller, never UNKNOWN with a trace
                    .onFailure(e -> !(e instanceof StatusRuntimeException))
                    .transform(e -> Status.UNAVAILABLE.withDescription("feature store unavailable").asRuntimeException());
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
