package io.vigil.guardrail.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vigil.guardrail.aggregation.CohortExpression;

/**
 * The monitors that run: every configured cohort times every configured metric, in a fixed order (the index is how
 * the streaming counts name a monitor). Built once from configuration; an unknown cohort attribute or metric stops
 * the service at start with the name that is wrong.
 */
public final class MonitorCatalog {

    /** The simulator's cohorts: all traffic, seed 000's (CA 18-24), its parts, and each checkout channel. */
    public static final List<String> DEFAULT_COHORTS = List.of("all", "country=CA & age=18-24", "country=CA",
            "country=US", "age=18-24", "channel=web", "channel=app", "channel=voice");

    private final List<MonitorDefinition> monitors;
    private final Map<String, Integer> byId = new LinkedHashMap<>();

    public MonitorCatalog(List<MonitorDefinition> monitors) {
        this.monitors = List.copyOf(monitors);
        for (int i = 0; i < this.monitors.size(); i++) {
            if (byId.put(this.monitors.get(i).id(), i) != null) {
                throw new IllegalArgumentException("monitor " + this.monitors.get(i).id() + " is configured twice");
            }
        }
    }

    /**
     * @param cohorts cohort expressions ("" or "all" = all traffic)
     * @param metrics metric keys; empty = every metric
     * @throws IllegalArgumentException naming the cohort or metric that cannot be read
     */
    public static MonitorCatalog of(List<String> cohorts, List<String> metrics) {
        List<MonitorMetric> ms = new ArrayList<>();
        if (metrics.isEmpty()) {
            ms.addAll(List.of(MonitorMetric.values()));
        }
        for (String key : metrics) {
            MonitorMetric m = MonitorMetric.byKey(key.strip());
            if (m == null) {
                throw new IllegalArgumentException("guardrail.monitors.metrics: unknown metric '" + key + "'");
            }
            ms.add(m);
        }
        List<MonitorDefinition> out = new ArrayList<>();
        for (String c : cohorts) {
            CohortExpression cohort;
            try {
                cohort = c.strip().equals("all") ? CohortExpression.everyone() : CohortExpression.parse(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("guardrail.monitors.cohorts: " + e.getMessage(), e);
            }
            for (MonitorMetric m : ms) {
                out.add(MonitorDefinition.of(cohort, m));
            }
        }
        return new MonitorCatalog(out);
    }

    public List<MonitorDefinition> monitors() {
        return monitors;
    }

    public int size() {
        return monitors.size();
    }

    public MonitorDefinition get(int index) {
        return monitors.get(index);
    }

    public Optional<MonitorDefinition> byId(String id) {
        Integer i = byId.get(id);
        return i == null ? Optional.empty() : Optional.of(monitors.get(i));
    }
}
