package io.vigil.incident.incident;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Every change to an incident, with who made it (token subject, or the service for event-driven changes). */
@ApplicationScoped
public class AuditTrail {

    /** The actor of changes the service makes from events. */
    public static final String SERVICE = "incident-service";

    private final Clock clock;

    AuditTrail(Clock clock) {
        this.clock = clock;
    }

    public Uni<Void> record(UUID incidentId, String actor, String action, String detail) {
        return IncidentAudit.of(incidentId, actor, action, detail, clock.instant()).persist().replaceWithVoid();
    }

    public Uni<List<IncidentAudit>> of(UUID incidentId) {
        return IncidentAudit.list("incidentId", Sort.by("recordedAt").and("id"), incidentId);
    }
}
