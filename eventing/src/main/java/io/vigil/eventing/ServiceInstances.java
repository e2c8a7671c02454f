package io.vigil.eventing;

import java.time.Instant;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes this process's {@link ServiceInstance} injectable, so the start event and ServiceInfo agree on it. */
@Singleton
public class ServiceInstances {

    @Produces
    @Singleton
    ServiceInstance current(@ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "quarkus.application.version") String version) {
        return ServiceInstance.start(service, version, Instant.now());
    }
}
