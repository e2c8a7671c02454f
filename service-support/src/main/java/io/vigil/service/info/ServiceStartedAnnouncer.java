package io.vigil.service.info;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.quarkus.runtime.StartupEvent;
import io.vigil.contracts.events.v1.ServiceStarted;
import io.vigil.eventing.CloudEventMessages;
import io.vigil.eventing.ProtoTime;
import io.vigil.eventing.ServiceInstance;

/**
 * Publishes a ServiceStarted deploy marker on channel {@code service-lifecycle} when this instance starts serving.
 * Every service configures that channel (topic {@code vigil.service-lifecycle.v1}) in its application.properties.
 */
@ApplicationScoped
class ServiceStartedAnnouncer {

    private final Emitter<byte[]> lifecycle;
    private final ServiceInstance instance;

    ServiceStartedAnnouncer(@Channel("service-lifecycle") Emitter<byte[]> lifecycle, ServiceInstance instance) {
        this.lifecycle = lifecycle;
        this.instance = instance;
    }

    void announce(@Observes StartupEvent startup) {
        ServiceStarted event = ServiceStarted.newBuilder()
                .setService(instance.service())
                .setVersion(instance.version())
                .setInstanceId(instance.instanceId())
                .setStartedAt(ProtoTime.of(instance.startedAt()))
                .build();
        lifecycle.send(CloudEventMessages.of(instance.service(), instance.instanceId(), event, instance.startedAt()));
    }
}
