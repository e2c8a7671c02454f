package io.vigil.eventing;

import java.time.Instant;
import java.util.UUID;

/**
 * One running process of a service. The instance id is the pod name (HOSTNAME on Kubernetes) plus a short random
 * suffix, so two starts of the same pod are told apart on the incident timeline.
 */
public record ServiceInstance(String service, String version, String instanceId, Instant startedAt) {

    public static ServiceInstance start(String service, String version, Instant now) {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return new ServiceInstance(service, version, host + "-" + suffix, now);
    }
}
