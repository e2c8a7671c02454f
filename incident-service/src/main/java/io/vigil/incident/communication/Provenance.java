package io.vigil.incident.communication;

import java.time.Instant;

import io.quarkus.qute.TemplateData;

/**
 * Where a draft's figures come from: the query that produced them, the event-time window it covered, and when they
 * were read for the draft.
 */
@TemplateData
public record Provenance(String query, Instant windowStart, Instant windowEnd, Instant computedAt) {
}
