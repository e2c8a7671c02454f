package io.vigil.incident.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which status-page components an alarm affects: risk scoring always (every alarm here is about its decisions),
 * step-up when the metric is about step-up, and the payments of the region (or country) the cohort names.
 */
public final class Components {

    private Components() {
    }

    public static List<String> affected(String metric, String cohort) {
        List<String> out = new ArrayList<>();
        out.add(Incident.CHECKOUT_RISK_SCORING);
        if (metric.toUpperCase(Locale.ROOT).contains("STEP_UP")) {
            out.add(Incident.STEP_UP);
        }
        String region = Cohorts.attributes(cohort).get("region");
        if (region == null) {
            region = Cohorts.attributes(cohort).get("country");
        }
        if (region != null && region.matches("[A-Za-z0-9-]{1,32}")) {
            out.add(Incident.PAYMENTS_PREFIX + region.toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
