package io.vigil.incident.communication;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.quarkus.qute.TemplateData;
import io.vigil.incident.status.ComponentStatus;
import io.vigil.incident.status.Components;

/**
 * Everything the public may see of an incident, and nothing else: the allow-list. Built only from the incident's
 * state, severity-derived status, public component names, times, and the updates posted for the public status page
 * (scrubbed by {@link PublicRedactor}). No title, id, cohort, rollout, model version or figure reaches it.
 *
 * @param reference a public reference derived one way from the internal id, so subscribers can tell incidents apart
 */
@TemplateData
public record PublicIncidentView(String reference, String headline, String stateLabel, String status,
        String statusLabel, List<String> components, Instant startedAt, Instant resolvedAt,
        List<PublicUpdate> updates) {

    @TemplateData
    public record PublicUpdate(Instant postedAt, String body) {
    }

    public static PublicIncidentView of(IncidentFacts incident, List<PublicUpdate> updates) {
        List<String> names = incident.components().stream()
                .map(Components::publicName).flatMap(java.util.Optional::stream).distinct().toList();
        ComponentStatus status = incident.active() ? ComponentStatus.forSeverity(incident.severity())
                : ComponentStatus.OPERATIONAL;
        String what = names.isEmpty() ? "payments" : String.join(", ", names);
        String headline = switch (stateLabel(incident.state())) {
            case "Resolved" -> "Resolved: degraded service affecting " + what;
            case "Monitoring" -> "Monitoring a fix for degraded service affecting " + what;
            case "Identified" -> "Degraded service affecting " + what + ": cause identified";
            default -> "Investigating degraded service affecting " + what;
        };
        return new PublicIncidentView(reference(incident), headline, stateLabel(incident.state()), status.name(),
                status.label(), names, incident.openedAt(),
                incident.resolvedAt() != null ? incident.resolvedAt() : incident.closedAt(), List.copyOf(updates));
    }

    public static String stateLabel(String state) {
        return switch (state == null ? "" : state) {
            case "MITIGATING" -> "Identified";
            case "MONITORING" -> "Monitoring";
            case "RESOLVED", "CLOSED" -> "Resolved";
            default -> "Investigating";
        };
    }

    public static String reference(IncidentFacts incident) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("vigil-public-incident:" + incident.id()).getBytes(StandardCharsets.UTF_8));
            return "INC-" + HexFormat.of().formatHex(digest, 0, 4).toUpperCase();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
