package io.vigil.cli.analyze;

import static io.vigil.cli.analyze.AnalyzeCommand.text;

import java.io.PrintWriter;
import java.util.Locale;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** The analyses as people read them: the figure, its 95% interval, n, window and the denominator used. */
final class AnalyzeTables {

    private AnalyzeTables() {
    }

    static void impact(JsonObject a, PrintWriter out) {
        header(a, out);
        out.printf("%-22s %s%n", "metric", text(a, "metric"));
        out.printf("%-22s %s%n", "harmed (counted)", text(a, "harmed"));
        out.printf("%-22s %s%n", "denominator", text(a, "denominator"));
        out.printf("%-22s %s of %s%n", "events", count(a, "events"), count(a, "n"));
        out.printf("%-22s %s %s%n", "rate", pct(a, "rate"), ciPct(a, "rate_ci"));
        JsonObject b = object(a, "baseline");
        if (b != null) {
            out.printf("%-22s %s (%s%s)%n", "baseline", pct(b, "rate"), text(b, "source"),
                    b.containsKey("n") ? ", " + count(b, "events") + " of " + count(b, "n") : "");
        }
        out.printf("%-22s %s%n", "expected at baseline", num(a, "expected", "%,.0f"));
        out.printf("%-22s %s %s%n", "excess harmed", num(a, "excess", "%,.0f"), ci(a, "excess_ci", "%,.0f"));
        out.printf("%-22s %s %s%n", "money at stake (USD)", num(a, "money_at_stake_usd", "%,.0f"),
                ci(a, "money_at_stake_ci", "%,.0f"));
        note(a, out);
    }

    static void slices(JsonObject a, PrintWriter out) {
        header(a, out);
        out.printf("metric %s by %s; harmed (counted): %s, %s of %s; baseline %s; total excess %s%n",
                text(a, "metric"), text(a, "by"), text(a, "harmed"), count(a, "events"), count(a, "n"),
                pct(object(a, "baseline"), "rate"), num(a, "total_excess", "%,.1f"));
        out.printf("denominator: %s%n%n", text(a, "denominator"));
        out.printf("%-24s %9s %7s %8s %-20s %9s %-20s %7s %7s%n", "SLICE", "N", "EVENTS", "RATE", "RATE 95% CI",
                "EXCESS", "EXCESS 95% CI", "SHARE", "CUM.");
        for (JsonValue v : array(a, "slices")) {
            JsonObject s = v.asJsonObject();
            out.printf("%-24s %9s %7s %8s %-20s %9s %-20s %7s %7s%n", text(s, "value"), count(s, "n"),
                    count(s, "events"), pct(s, "rate"), ciPct(s, "rate_ci"), num(s, "excess", "%,.1f"),
                    ci(s, "excess_ci", "%,.1f"), pct(s, "share"), pct(s, "cumulative_share"));
        }
        note(a, out);
    }

    static void whatIf(JsonObject a, PrintWriter out) {
        header(a, out);
        out.printf("%-26s %s%n", "denominator", text(a, "denominator"));
        out.printf("%-26s %s frauds of %s scored (%s without a score)%n", "labelled", count(a, "frauds"),
                count(a, "n"), count(a, "without_score"));
        JsonObject c = object(a, "current");
        JsonObject p = object(a, "proposed");
        if (c != null && p != null) {
            out.printf("%-26s %-12s %-12s%n", "", "CURRENT", "PROPOSED");
            out.printf("%-26s %-12s %-12s%n", "threshold", text(c, "threshold"), text(p, "threshold"));
            out.printf("%-26s %-12s %-12s%n", "true-positive rate", pct(c, "true_positive_rate"),
                    pct(p, "true_positive_rate"));
            out.printf("%-26s %-12s %-12s%n", "false-positive rate", pct(c, "false_positive_rate"),
                    pct(p, "false_positive_rate"));
            out.printf("%-26s %-12s %-12s%n", "flagged", num(a, "flagged_before", "%,.1f"),
                    num(a, "flagged_after", "%,.1f"));
            out.printf("%-26s %s (of %s payments, prevalence %s)%n", "false-positive reviews +",
                    num(a, "false_positives_added", "%,.1f"), count(a, "payments"), pct(a, "prevalence"));
            out.printf("%-26s %s%n", "frauds newly caught", num(a, "frauds_newly_caught", "%,.1f"));
            out.printf("%-26s %s%n", "flagged total +", num(a, "flagged_added", "%,.1f"));
            out.printf("%-26s %s%n", "approvals lost", num(a, "approvals_lost", "%,.1f"));
            if (a.containsKey("review_capacity")) {
                out.printf("%-26s %s: %s%n", "review capacity", num(a, "review_capacity", "%,.0f"),
                        a.getBoolean("within_capacity", false) ? "within" : "EXCEEDED");
            }
        }
        note(a, out);
    }

    static void funnel(JsonObject a, String baseUrl, PrintWriter out) {
        header(a, out);
        out.printf("change at %s; %s%n", text(a, "at"), text(a, "denominator"));
        out.printf("broken: %s%n", a.containsKey("broken_step")
                ? text(a, "broken_channel") + " / " + text(a, "broken_step") : "no step dropped significantly");
        for (JsonValue v : array(a, "channels")) {
            JsonObject c = v.asJsonObject();
            out.printf("%nchannel %s%s%n", text(c, "channel"), c.containsKey("broken_step")
                    ? ": step '" + text(c, "broken_step") + "' dropped" : "");
            if (c.containsKey("note")) {
                out.printf("  %s%n", text(c, "note"));
                continue;
            }
            out.printf("  %-28s %-26s %-26s %-9s %-20s%n", "STEP", "BEFORE", "AFTER", "CHANGE", "95% CI");
            for (JsonValue sv : array(c, "steps")) {
                JsonObject s = sv.asJsonObject();
                out.printf("  %-28s %-26s %-26s %-9s %-20s%s%n", text(s, "step"), rate(object(s, "before")),
                        rate(object(s, "after")), pp(s, "change"), ciPp(s, "change_ci"),
                        s.getBoolean("significant_drop", false) ? "  <- dropped" : "");
            }
            JsonObject r = object(c, "revenue_per_day");
            if (r != null) {
                out.printf("  revenue per day (USD): base %s, worst %s, best %s (%s sessions/day x AOV %s)%n",
                        num(r, "base", "%,.0f"), num(r, "worst", "%,.0f"), num(r, "best", "%,.0f"),
                        num(c, "sessions_per_day", "%,.0f"), num(c, "average_order_usd", "%,.2f"));
            }
        }
        out.printf("%nchart: %s/analyses/funnel/chart.svg?... (same parameters)%n", baseUrl);
        note(a, out);
    }

    static void did(JsonObject a, PrintWriter out) {
        out.printf("cohort %s against %s, metric %s, change at %s%n", text(a, "cohort"), text(a, "control"),
                text(a, "metric"), text(a, "at"));
        window(a, out);
        out.printf("denominator: %s%n", text(a, "denominator"));
        out.printf("%-10s %-26s %-26s%n", "", "BEFORE", "AFTER");
        out.printf("%-10s %-26s %-26s%n", "cohort", rate(object(a, "affected_before")),
                rate(object(a, "affected_after")));
        out.printf("%-10s %-26s %-26s%n", "control", rate(object(a, "control_before")),
                rate(object(a, "control_after")));
        out.printf("change: cohort %s, control %s%n", pp(a, "affected_change"), pp(a, "control_change"));
        out.printf("difference-in-differences: %s %s%s%n", pp(a, "estimate"), ciPp(a, "ci"),
                a.getBoolean("significant", false) ? " (significant)" : "");
        note(a, out);
    }

    static void switchback(JsonObject a, PrintWriter out) {
        header(a, out);
        out.printf("%-24s %s%n", "denominator", text(a, "denominator"));
        out.printf("%-24s %s%n", "baseline rate", pct(a, "baseline_rate"));
        out.printf("%-24s %s%n", "decisions per hour", num(a, "decisions_per_hour", "%,.1f"));
        out.printf("%-24s %s%n", "between-hour sd", pct(a, "between_hour_sd"));
        out.printf("%-24s %s (alpha %s, power %s, carry-over %s h)%n", "effect", pp(a, "effect"), text(a, "alpha"),
                text(a, "power"), text(a, "carry_over_hours"));
        out.printf("%-24s %s h (%s decisions)%n", "block length", text(a, "block_hours"),
                count(a, "decisions_per_block"));
        out.printf("%-24s %s (half each way), %s h in all%n", "blocks", text(a, "blocks"), text(a, "total_hours"));
        note(a, out);
    }

    static void cases(JsonObject a, PrintWriter out) {
        header(a, out);
        out.printf("%-44s %s%n", "STRATUM", "SAMPLED");
        for (JsonValue v : array(a, "strata")) {
            out.printf("%-44s %s%n", text(v.asJsonObject(), "stratum"), text(v.asJsonObject(), "sampled"));
        }
        out.println();
        out.printf("%-44s %-36s %-10s %-8s %-6s %-8s %-10s %s%n", "STRATUM", "DECISION", "ACCOUNT", "DECIDED",
                "SCORE", "CHANNEL", "MERCHANT", "OUTCOMES");
        for (JsonValue v : array(a, "cases")) {
            JsonObject c = v.asJsonObject();
            StringBuilder kinds = new StringBuilder();
            for (JsonValue o : array(c, "outcomes")) {
                kinds.append(kinds.length() == 0 ? "" : ",").append(text(o.asJsonObject(), "kind"));
            }
            out.printf("%-44s %-36s %-10s %-8s %-6s %-8s %-10s %s%n", text(c, "stratum"), text(c, "decision_id"),
                    text(c, "account"), text(c, "decision"), num(c, "score", "%.3f"), text(c, "channel"),
                    text(c, "merchant_id"), kinds.length() == 0 ? "-" : kinds);
        }
        out.println("(features, reasons and arm scores per case: --output json)");
    }

    private static void header(JsonObject a, PrintWriter out) {
        out.printf("cohort %s, n = %s%n", text(a, "cohort"), count(a, "n"));
        window(a, out);
    }

    private static void window(JsonObject a, PrintWriter out) {
        JsonObject w = object(a, "window");
        out.printf("window %s .. %s (event time)%n", text(w, "from"), text(w, "to"));
    }

    private static void note(JsonObject a, PrintWriter out) {
        if (a.containsKey("note")) {
            out.printf("note: %s%n", text(a, "note"));
        }
    }

    static JsonObject object(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonObject j ? j : null;
    }

    static JsonArray array(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
    }

    private static Double number(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonNumber n ? n.doubleValue() : null;
    }

    static String num(JsonObject o, String key, String format) {
        Double d = number(o, key);
        return d == null ? "-" : noNegativeZero(String.format(Locale.ROOT, format, d));
    }

    /** -0.3 printed with no decimals reads "-0": print "0". */
    static String noNegativeZero(String s) {
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }

    static String count(JsonObject o, String key) {
        return num(o, key, "%,.0f");
    }

    static String pct(JsonObject o, String key) {
        Double d = number(o, key);
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * d);
    }

    static String pp(JsonObject o, String key) {
        Double d = number(o, key);
        return d == null ? "-" : String.format(Locale.ROOT, "%+.2f pp", 100 * d);
    }

    static String ci(JsonObject o, String key, String format) {
        JsonObject c = object(o, key);
        return c == null ? "" : "[" + num(c, "lower", format) + ", " + num(c, "upper", format) + "]";
    }

    static String ciPct(JsonObject o, String key) {
        JsonObject c = object(o, key);
        return c == null ? "" : "[" + pct(c, "lower") + ", " + pct(c, "upper") + "]";
    }

    static String ciPp(JsonObject o, String key) {
        JsonObject c = object(o, key);
        return c == null ? "" : "[" + pp(c, "lower") + ", " + pp(c, "upper") + "]";
    }

    static String rate(JsonObject r) {
        if (r == null || !r.containsKey("rate")) {
            return "n = 0";
        }
        return pct(r, "rate") + " of " + count(r, "n");
    }
}
