package io.vigil.guardrail.analysis.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.vigil.guardrail.analysis.InvalidAnalysisException;

/**
 * A cohort of the ledger: attribute=value terms joined by {@code ,} or {@code &}, e.g. {@code country=CA,age=18-24}
 * or {@code country=CA & customer_age_band=18-24} (the rollout plans' short names and the event's field names both
 * work); empty is every decision. Unknown attributes are refused naming the field {@code cohort}. Attributes map to
 * ledger columns through a fixed table, so no text of the request ever becomes SQL; values are bound parameters.
 */
public final class Cohort {

    /** Attribute name (as typed) -> ledger column. */
    static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        known("country", "country");
        known("region", "region");
        known("customer_age_band", "age", "age_band");
        known("channel", "channel");
        known("login_method", "login_method");
        known("merchant_id", "merchant");
        known("merchant_category", "merchant_category");
        known("device_id", "device");
        known("card_bin", "bin");
        known("bin_country", "card_issuer_country");
        known("ip_country", "ip_country");
        known("billing_country", "billing_country");
        known("amount_band", "amount");
        known("arm", "arm");
        known("model_version", "model");
        known("policy_version", "policy");
    }

    private static void known(String column, String... aliases) {
        COLUMNS.put(column, column);
        for (String a : aliases) {
            COLUMNS.put(a, column);
        }
    }

    /** One term: the ledger column and the value it must equal. */
    public record Term(String column, String value) {
    }

    private final List<Term> terms;
    private final String text;

    private Cohort(List<Term> terms, String text) {
        this.terms = List.copyOf(terms);
        this.text = text;
    }

    public static Cohort everyone() {
        return new Cohort(List.of(), "");
    }

    public static Cohort parse(String expression) {
        return parse(expression, "cohort");
    }

    /** @param field the request field this cohort came from, named when it cannot be read */
    public static Cohort parse(String expression, String field) {
        if (expression == null || expression.isBlank()) {
            return everyone();
        }
        Map<String, String> byColumn = new LinkedHashMap<>();
        for (String raw : expression.split("[,&]")) {
            String term = raw.strip();
            int eq = term.indexOf('=');
            if (eq <= 0 || eq == term.length() - 1 || term.indexOf('=', eq + 1) >= 0) {
                throw new InvalidAnalysisException(field, "cohort term '" + term + "' is not attribute=value");
            }
            String key = term.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String column = COLUMNS.get(key);
            if (column == null) {
                throw new InvalidAnalysisException(field, "unknown cohort attribute '" + key + "'; known: "
                        + String.join(", ", new TreeSet<>(COLUMNS.keySet())));
            }
            if (byColumn.put(column, text(term.substring(eq + 1).strip(), field)) != null) {
                throw new InvalidAnalysisException(field, "cohort attribute '" + key + "' is named twice");
            }
        }
        List<Term> terms = new ArrayList<>();
        List<String> canonical = new ArrayList<>();
        byColumn.forEach((c, v) -> {
            terms.add(new Term(c, v));
            canonical.add(c + "=" + v);
        });
        return new Cohort(terms, String.join(" & ", canonical));
    }

    /**
     * A value that goes to the database as a bound parameter: printable text of at most 200 characters. PostgreSQL
     * refuses a NUL or an unpaired surrogate in text with an error, which must be the caller's 400, not a 500.
     */
    public static String text(String value, String field) {
        if (value.length() > 200) {
            throw new InvalidAnalysisException(field, "a value longer than 200 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidAnalysisException(field, "a control character in '" + value.replaceAll("\\p{Cntrl}",
                        "?") + "'");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw new InvalidAnalysisException(field, "text that is not valid Unicode (an unpaired surrogate)");
                }
                i++;
            }
        }
        return value;
    }

    /** The ledger column a slicing attribute names; {@code field} is named when it is unknown. */
    public static String column(String attribute, String field) {
        String c = attribute == null ? null : COLUMNS.get(attribute.strip().toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new InvalidAnalysisException(field, "unknown attribute '" + attribute + "'; known: "
                    + String.join(", ", new TreeSet<>(COLUMNS.keySet())));
        }
        return c;
    }

    public List<Term> terms() {
        return terms;
    }

    public boolean isEveryone() {
        return terms.isEmpty();
    }

    /** Canonical text (ledger column names), e.g. {@code country=CA & customer_age_band=18-24}; "" for everyone. */
    @Override
    public String toString() {
        return text;
    }
}
