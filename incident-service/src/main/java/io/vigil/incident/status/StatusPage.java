package io.vigil.incident.status;

import java.time.Instant;
import java.util.List;

import io.quarkus.qute.TemplateData;
import io.vigil.incident.communication.PublicIncidentView;

/** The public status page's content: public fields only (components, and incidents as {@link PublicIncidentView}). */
@TemplateData
public record StatusPage(String title, Instant generatedAt, String overallStatus, String overallLabel,
        List<ComponentView> components, List<PublicIncidentView> incidents, List<PublicIncidentView> history) {
}
