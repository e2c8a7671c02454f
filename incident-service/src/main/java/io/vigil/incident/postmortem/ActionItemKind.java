package io.vigil.incident.postmortem;

/** What a postmortem action item improves. */
public enum ActionItemKind {
    DETECT,
    MITIGATE,
    PREVENT
}
