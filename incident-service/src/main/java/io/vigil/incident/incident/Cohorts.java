package io.vigil.incident.incident;

import java.util.LinkedHashMap;
import java.util.Map;

/** Canonical cohort expressions, "country=CA & age=18-24" (empty for all traffic), as attribute-value maps. */
public final class Cohorts {

    private Cohorts() {
    }

    public static Map<String, String> attributes(String cohort) {
        Map<String, String> out = new LinkedHashMap<>();
        if (cohort == null || cohort.isBlank()) {
            return out;
        }
        for (String part : cohort.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /**
     * Adjacent cohorts share at least one attribute value but are not the same cohort: for CA 18-24, other ages in CA
     * and 18-24 elsewhere.
     */
    public static boolean adjacent(String a, String b) {
        Map<String, String> x = attributes(a);
        Map<String, String> y = attributes(b);
        if (x.equals(y) || x.isEmpty() || y.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> e : x.entrySet()) {
            if (e.getValue().equals(y.get(e.getKey()))) {
                return true;
            }
        }
        return false;
    }
}
