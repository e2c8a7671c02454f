package io.vigil.guardrail.monitor;

import io.vigil.guardrail.aggregation.CohortExpression;

/**
 * One monitor: a metric in a cohort. Its id is stable across restarts and replicas (history and alarms are stored by
 * it) and readable in a URL: {@code incorrect_approval@country=CA,age=18-24}, {@code decline_rate@all}.
 */
public record MonitorDefinition(String id, CohortExpression cohort, MonitorMetric metric) {

    public static MonitorDefinition of(CohortExpression cohort, MonitorMetric metric) {
        String c = cohort.toString().isEmpty() ? "all" : cohort.toString().replace(" & ", ",");
        return new MonitorDefinition(metric.key() + "@" + c, cohort, metric);
    }
}
