package io.vigil.incident.incident;

import java.time.Instant;
import java.util.List;

import io.vigil.incident.severity.Impact;

/**
 * An event that opens an incident or joins one: a rollback verdict, a cohort monitor alarm, a feature-health alarm.
 *
 * @param groupingKey what one cause is recognised by (metric and cohort, a rollout, a feature and segment)
 * @param metric      the harmed metric, e.g. INCORRECT_APPROVAL_RATE; empty when unknown
 * @param cohort      canonical cohort expression; empty for all traffic
 * @param rolloutId   the rollout involved; empty for none
 * @param occurredAt  event time
 * @param foldKey     repeated alarms of one series fold into one timeline entry under this key
 * @param impact      what this series measured (its latest reading replaces its earlier ones)
 * @param baselineRate the cohort's expected rate when the alarm knows it (all-clear threshold), else 0
 */
public record Alarm(String eventId, String source, String groupingKey, String metric, String cohort, String rolloutId,
        Instant occurredAt, String title, String summary, String detail, String foldKey, Impact impact,
        List<String> components, double baselineRate) {
}
