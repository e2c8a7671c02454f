package io.vigil.guardrail.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.vigil.guardrail.aggregation.state.DecisionProjection;

/**
 * A cohort as a plan names it: attribute=value terms joined by {@code &}, e.g. {@code country=CA & age=18-24}; the
 * empty expression is every decision. Parsing refuses an unknown attribute or a malformed term with a message naming
 * it and the attributes there are, so a plan that watches nothing is refused before it runs.
 */
public final class CohortExpression {

    private static final Set<String> KEYS = Arrays.stream(DecisionAttribute.values())
            .map(DecisionAttribute::key).collect(Collectors.toCollection(TreeSet::new));

    private final Map<DecisionAttribute, String> terms;
    private final String text;

    private CohortExpression(Map<DecisionAttribute, String> terms, String text) {
        this.terms = terms;
        this.text = text;
    }

    public static CohortExpression everyone() {
        return new CohortExpression(new EnumMap<>(DecisionAttribute.class), "");
    }

    /** @throws IllegalArgumentException naming the term that cannot be read */
    public static CohortExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return everyone();
        }
        Map<DecisionAttribute, String> terms = new EnumMap<>(DecisionAttribute.class);
        List<String> canonical = new ArrayList<>();
        for (String raw : expression.split("&")) {
            String term = raw.strip();
            int eq = term.indexOf('=');
            if (eq <= 0 || eq == term.length() - 1 || term.indexOf('=', eq + 1) >= 0) {
                throw new IllegalArgumentException("cohort term '" + term + "' is not attribute=value");
            }
            String key = term.substring(0, eq).strip();
            String value = term.substring(eq + 1).strip();
            DecisionAttribute a = byKey(key);
            if (a == null) {
                throw new IllegalArgumentException("unknown cohort attribute '" + key + "'; known: "
                        + String.join(", ", KEYS));
            }
            if (terms.put(a, value) != null) {
                throw new IllegalArgumentException("cohort attribute '" + key + "' is named twice");
            }
        }
        terms.forEach((a, v) -> canonical.add(a.key() + "=" + v));
        return new CohortExpression(terms, String.join(" & ", canonical));
    }

    private static DecisionAttribute byKey(String key) {
        for (DecisionAttribute a : DecisionAttribute.values()) {
            if (a.key().equals(key)) {
                return a;
            }
        }
        return null;
    }

    public boolean matches(DecisionProjection p) {
        for (Map.Entry<DecisionAttribute, String> t : terms.entrySet()) {
            if (!t.getValue().equals(Projections.attribute(p, t.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The expression in canonical form (attribute order, single spaces): equal cohorts print equal. */
    @Override
    public String toString() {
        return text;
    }
}
