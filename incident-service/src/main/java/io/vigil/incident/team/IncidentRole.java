package io.vigil.incident.team;

/** The roles an incident is staffed with; each has at most one assignee at a time. */
public enum IncidentRole {
    INCIDENT_COMMANDER,
    ML_ENGINEER,
    DATA_ENGINEER,
    ANALYST,
    RISK_OPS,
    FINANCE_LIAISON,
    COMMS
}
