package io.vigil.guardrail.monitor;

/** Where a monitor stands. */
public enum MonitorState {
    /** No baseline yet (too little history of either kind): the detector does not run. */
    NO_BASELINE,
    /** Running, not alarmed. */
    OK,
    /** Paged: the detector's statistic reached the family's paging threshold; until an hour ends below 1. */
    ALARM
}
