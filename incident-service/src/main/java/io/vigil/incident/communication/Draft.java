package io.vigil.incident.communication;

import java.time.Instant;

/**
 * A rendered update, ready for a person to edit and post. Internal drafts carry the figures they quote and their
 * provenance; public ones ({@code redacted}) carry only the text rendered from {@link PublicIncidentView}.
 */
public record Draft(String audience, boolean redacted, String text, ImpactFigures figures, Provenance provenance,
        String trend, Instant previousUpdateAt, Instant nextUpdateDueAt) {
}
