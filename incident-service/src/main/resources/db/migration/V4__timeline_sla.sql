-- An alarm series' latest reading may report an SLA breach (e.g. the review queue's); the incident's impact ORs them.
ALTER TABLE timeline_entry ADD COLUMN sla_breached BOOLEAN;
