package io.vigil.incident.communication;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Stakeholder communications: cadences, the overdue sweep. */
@ConfigMapping(prefix = "vigil.communications")
public interface CommunicationsConfig {

    /**
     * Minutes between updates, per audience and severity: {@code vigil.communications.cadence.executives.sev1=30}.
     * Audiences: executives, finance, partner-teams, support, merchants, public-status-page. An audience without an
     * entry at a severity gets no scheduled updates at that severity.
     */
    Map<String, Map<String, Integer>> cadence();

    /** How often the cadence tick arms clocks and raises reminders for overdue updates; {@code off} disables it. */
    @WithDefault("30s")
    String tickEvery();

    /** Kafka topic for StakeholderUpdateOverdue (configured on the outgoing channel too). */
    @WithDefault("vigil.incident-updates.v1")
    String topic();
}
