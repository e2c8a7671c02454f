package io.vigil.incident.status;

import java.time.Instant;

import io.quarkus.qute.TemplateData;

/** A component as the status page shows it. */
@TemplateData
public record ComponentView(String id, String name, String status, String label, String css, Instant since) {

    static ComponentView of(String id, ShownStatus shown) {
        return new ComponentView(id, Components.publicName(id).orElseThrow(), shown.shown().name(),
                shown.shown().label(), shown.shown().cssClass(), shown.shownSince());
    }
}
