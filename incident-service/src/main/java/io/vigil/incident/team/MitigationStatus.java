package io.vigil.incident.team;

/** A mitigation's progress; a linked rollout's state changes move it (rolled back or completed: DONE; aborted: ABANDONED). */
public enum MitigationStatus {
    PLANNED,
    IN_PROGRESS,
    DONE,
    ABANDONED
}
