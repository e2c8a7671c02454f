package io.vigil.scoring.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changes when one policy replaces another, cohort by cohort: for the audit trail.
 *
 * @param from    version replaced (null: the built-in default or nothing)
 * @param to      version taking effect
 * @param added   cohorts only in the new policy
 * @param removed cohorts only in the old policy
 * @param changed field changes of cohorts in both
 */
public record PolicyDiff(String from, String to, List<String> added, List<String> removed, List<Change> changed) {

    public record Change(String cohort, String field, Object before, Object after) {
    }

    public static PolicyDiff between(ThresholdPolicy before, ThresholdPolicy after) {
        Map<String, CohortRule> old = new LinkedHashMap<>();
        if (before != null) {
            before.rules().forEach(r -> old.put(r.name(), r));
        }
        List<String> added = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        for (CohortRule r : after.rules()) {
            CohortRule o = old.remove(r.name());
            if (o == null) {
                added.add(r.name());
                continue;
            }
            field(changed, r.name(), "country", o.country(), r.country());
            field(changed, r.name(), "region", o.region(), r.region());
            field(changed, r.name(), "age_band", o.ageBand(), r.ageBand());
            field(changed, r.name(), "channel", o.channel(), r.channel());
            field(changed, r.name(), "login_method", o.loginMethod(), r.loginMethod());
            field(changed, r.name(), "step_up", o.stepUp(), r.stepUp());
            field(changed, r.name(), "review", o.review(), r.review());
            field(changed, r.name(), "decline", o.decline(), r.decline());
            field(changed, r.name(), "coverage", o.coverage(), r.coverage());
        }
        return new PolicyDiff(before == null ? null : before.version(), after.version(), added,
                new ArrayList<>(old.keySet()), changed);
    }

    private static void field(List<Change> out, String cohort, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(new Change(cohort, field, before, after));
        }
    }
}
