package io.vigil.incident.communication;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How often each audience must hear about an incident, by severity (seed 000: executives every 30 minutes at SEV1).
 * An audience without a cadence at a severity gets no scheduled updates at that severity.
 */
public final class CadencePolicy {

    private final Map<Audience, Map<String, Duration>> cadence;

    private CadencePolicy(Map<Audience, Map<String, Duration>> cadence) {
        this.cadence = cadence;
    }

    /**
     * @param minutes per audience key ({@code executives}) and severity ({@code sev1}, any case): minutes between
     *                updates; 0 or less means none
     * @throws IllegalArgumentException naming the key when an audience or severity is unknown
     */
    public static CadencePolicy fromMinutes(Map<String, Map<String, Integer>> minutes) {
        Map<Audience, Map<String, Duration>> out = new EnumMap<>(Audience.class);
        minutes.forEach((audienceKey, bySeverity) -> {
            Audience audience = Audience.parse(audienceKey).orElseThrow(() -> new IllegalArgumentException(
                    "vigil.communications.cadence." + audienceKey + ": unknown audience"));
            bySeverity.forEach((severity, m) -> {
                String sev = severity.toUpperCase(Locale.ROOT);
                if (!sev.matches("SEV[1-4]")) {
                    throw new IllegalArgumentException("vigil.communications.cadence." + audienceKey + "." + severity
                            + ": severity must be sev1..sev4");
                }
                if (m != null && m > 0) {
                    out.computeIfAbsent(audience, a -> new java.util.HashMap<>()).put(sev, Duration.ofMinutes(m));
                }
            });
        });
        return new CadencePolicy(out);
    }

    /** @param severity SEV1..SEV4 */
    public Optional<Duration> cadence(Audience audience, String severity) {
        return Optional.ofNullable(cadence.getOrDefault(audience, Map.of()).get(severity));
    }
}
