package io.vigil.incident.postmortem;

/** Where an action item stands: open (overdue once past its due date) or done. */
public enum ActionItemStatus {
    OPEN,
    DONE
}
