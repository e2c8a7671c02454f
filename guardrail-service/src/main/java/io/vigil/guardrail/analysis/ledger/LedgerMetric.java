package io.vigil.guardrail.analysis.ledger;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.vigil.guardrail.analysis.InvalidAnalysisException;

/**
 * The rates the analyses answer over the decision ledger, each as its exposure (the denominator: which decisions can
 * have the event) and its event, as SQL over {@code ledger_decision d}; outcomes are joined by transaction id. The
 * names are what {@code --metric} takes. Labels are those seen so far: an incorrect approval counts once its fraud
 * report or chargeback is in the ledger (no maturity adjustment here; judge recent windows with that in mind).
 */
public enum LedgerMetric {
    INCORRECT_APPROVAL("incorrect-approval", "approved payments", "d.decision = 'APPROVE'",
            outcome("'CHARGEBACK_FRAUD', 'FRAUD_REPORTED'"), false, "reported or charged back as fraud"),
    CHARGEBACK("chargeback", "approved payments", "d.decision = 'APPROVE'", outcome("'CHARGEBACK_FRAUD'"), false,
            "charged back as fraud"),
    APPROVAL("approval", "decisions", "TRUE", "d.decision = 'APPROVE'", true, "not approved"),
    DECLINE("decline", "decisions", "TRUE", "d.decision = 'DECLINE'", false, "declined"),
    STEP_UP("step-up", "decisions", "TRUE", "d.decision = 'STEP_UP'", false, "stepped up"),
    REVIEW("review", "decisions", "TRUE", "d.decision = 'REVIEW'", false, "sent to review"),
    FALLBACK("fallback", "decisions", "TRUE", "d.fallback", false, "decided by the fallback rule"),
    CONVERSION("conversion", "decisions", "TRUE", outcome("'ORDER_COMPLETED'"), true, "not followed by an order"),
    STEP_UP_PASS("step-up-pass", "stepped-up payments", "d.decision = 'STEP_UP'", outcome("'STEP_UP_PASSED'"), true,
            "not passed");

    private final String key;
    private final String exposureName;
    private final String exposure;
    private final String event;
    private final boolean lowerIsWorse;
    private final String harm;

    LedgerMetric(String key, String exposureName, String exposure, String event, boolean lowerIsWorse, String harm) {
        this.key = key;
        this.exposureName = exposureName;
        this.exposure = exposure;
        this.event = event;
        this.lowerIsWorse = lowerIsWorse;
        this.harm = harm;
    }

    /**
     * True where the event is the good outcome (approval, conversion, a passed step-up): impact and slices then count
     * the complement as harmed, so an excess is always harm and slices rank by the harm they carry.
     */
    public boolean lowerIsWorse() {
        return lowerIsWorse;
    }

    /** What impact and slices count as harmed, e.g. "stepped-up payments not passed". */
    public String harmed() {
        return exposureName + " " + harm;
    }

    /** Harmed of n, given the metric's events of n. */
    public long harmed(long events, long n) {
        return lowerIsWorse ? n - events : events;
    }

    /** SQL: the decision's transaction has an outcome of one of these kinds (quoted). */
    static String outcome(String kinds) {
        return "EXISTS (SELECT 1 FROM ledger_outcome o WHERE o.transaction_id = d.transaction_id AND o.kind IN ("
                + kinds + "))";
    }

    public String key() {
        return key;
    }

    /** What the denominator counts, in words, e.g. "approved payments". */
    public String exposureName() {
        return exposureName;
    }

    String exposureSql() {
        return exposure;
    }

    String eventSql() {
        return event;
    }

    /** @throws InvalidAnalysisException naming {@code metric} and the metrics there are */
    public static LedgerMetric parse(String text) {
        if (text == null || text.isBlank()) {
            return INCORRECT_APPROVAL;
        }
        String k = text.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        for (LedgerMetric m : values()) {
            if (m.key.equals(k) || m.key.equals(k.replaceAll("-rate$", ""))) {
                return m;
            }
        }
        throw new InvalidAnalysisException("metric", "unknown metric '" + text + "'; known: "
                + Arrays.stream(values()).map(LedgerMetric::key).collect(Collectors.joining(", ")));
    }
}
