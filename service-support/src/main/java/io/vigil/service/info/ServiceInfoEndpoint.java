package io.vigil.service.info;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.ops.v1.GetServiceInfoRequest;
import io.vigil.contracts.ops.v1.GetServiceInfoResponse;
import io.vigil.contracts.ops.v1.MutinyServiceInfoServiceGrpc;
import io.vigil.eventing.ProtoTime;
import io.vigil.eventing.ServiceInstance;

/**
 * vigil.ops.v1.ServiceInfoService: which build of this service is answering, since when. It extends the generated
 * base class (a BindableService) rather than implementing the generated interface: Quarkus pairs an interface
 * implementation with its generated bean only within the application's own classes, not in a dependency like this one.
 */
@GrpcService
class ServiceInfoEndpoint extends MutinyServiceInfoServiceGrpc.ServiceInfoServiceImplBase {

    private final GetServiceInfoResponse info;

    ServiceInfoEndpoint(ServiceInstance instance) {
        this.info = GetServiceInfoResponse.newBuilder()
                .setService(instance.service())
                .setVersion(instance.version())
                .setInstanceId(instance.instanceId())
                .setStartedAt(ProtoTime.of(instance.startedAt()))
                .build();
    }

    @Override
    public Uni<GetServiceInfoResponse> getServiceInfo(GetServiceInfoRequest request) {
        return Uni.createFrom().item(info);
    }
}
