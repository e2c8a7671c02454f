package io.vigil.incident.status;

/** A status-page component's state, from best to worst (the order is used: worst of several incidents wins). */
public enum ComponentStatus {
    OPERATIONAL("Operational"),
    DEGRADED_PERFORMANCE("Degraded performance"),
    PARTIAL_OUTAGE("Partial outage"),
    MAJOR_OUTAGE("Major outage");

    private final String label;

    ComponentStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean worseThan(ComponentStatus other) {
        return compareTo(other) > 0;
    }

    /**
     * What an active incident of this severity means for the components it affects (severity is computed from
     * measured impact): SEV1 a major outage, SEV2 a partial outage, SEV3 degraded performance; SEV4 is below what the
     * public page shows.
     */
    public static ComponentStatus forSeverity(String severity) {
        return switch (severity) {
            case "SEV1" -> MAJOR_OUTAGE;
            case "SEV2" -> PARTIAL_OUTAGE;
            case "SEV3" -> DEGRADED_PERFORMANCE;
            default -> OPERATIONAL;
        };
    }

    public String cssClass() {
        return name().toLowerCase().replace('_', '-');
    }
}
