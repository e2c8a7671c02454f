package io.vigil.incident.severity;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vigil.incident.config.IncidentConfig;
import io.vigil.incident.incident.AuditTrail;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.Severity;
import io.vigil.incident.timeline.Timeline;
import io.vigil.incident.timeline.TimelineKind;

/**
 * Sets an incident's impact and severity from a new reading: the table gives a level, hysteresis decides whether it
 * applies yet, a commander's override holds unless the impact becomes worse than it. Every change of the severity in
 * force goes to the timeline with its evidence and to the audit trail.
 */
@ApplicationScoped
public class SeverityAssessor {

    private final SeverityTable table;
    private final SeverityHysteresis hysteresis;
    private final Timeline timeline;
    private final AuditTrail audit;

    SeverityAssessor(IncidentConfig config, Timeline timeline, AuditTrail audit) {
        this.table = SeverityTable.from(config.severity());
        this.hysteresis = new SeverityHysteresis(config.severity().lowerAfter());
        this.timeline = timeline;
        this.audit = audit;
    }

    public SeverityTable table() {
        return table;
    }

    /** The level for a brand-new incident (no hysteresis: nothing to hold yet). */
    public Severity initial(Impact impact) {
        return table.classify(impact);
    }

    /**
     * @param at       the reading's event time
     * @param evidence what the reading was (e.g. the verdict's reason), kept with a severity change
     */
    public Uni<Void> reassess(Incident incident, Impact impact, Instant at, String evidence, String eventId) {
        incident.excessHarmedLow = impact.excessHarmedLow();
        incident.excessHarmedHigh = impact.excessHarmedHigh();
        incident.moneyAtStake = impact.moneyAtStake();
        incident.checkoutShare = impact.checkoutShare();
        incident.slaBreached = impact.slaBreached();
        Severity computed = table.classify(impact);
        incident.computedSeverity = computed;
        Severity before = incident.severity;
        boolean brokeOverride = false;
        if (incident.severityOverriddenBy != null) {
            // an override holds until the impact is worse than it
            if (!computed.worseThan(before)) {
                return Uni.createFrom().voidItem();
            }
            incident.lowerSeverity = null;
            incident.lowerSeveritySince = null;
            incident.severity = computed;
            // the measured impact now outranks the person's judgement: the override no longer holds
            incident.severityOverriddenBy = null;
            incident.severityOverrideReason = null;
            brokeOverride = true;
        } else {
            SeverityHysteresis.State next = hysteresis.next(
                    new SeverityHysteresis.State(before, incident.lowerSeverity, incident.lowerSeveritySince), computed, at);
            incident.severity = next.severity();
            incident.lowerSeverity = next.pendingLower();
            incident.lowerSeveritySince = next.pendingSince();
        }
        if (incident.severity == before) {
            return Uni.createFrom().voidItem();
        }
        String summary = "Severity " + before + " -> " + incident.severity
                + (brokeOverride ? " (impact exceeded the override)" : "");
        String detail = table.explain(impact) + "; evidence: " + evidence;
        return timeline.add(incident.id, TimelineKind.SEVERITY, at, summary, detail, AuditTrail.SERVICE, eventId)
                .flatMap(x -> audit.record(incident.id, AuditTrail.SERVICE, "severity", summary + "; " + detail));
    }
}
