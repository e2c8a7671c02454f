package io.vigil.cli.rollout;

import static io.vigil.cli.rollout.RolloutCommand.array;
import static io.vigil.cli.rollout.RolloutCommand.text;

import java.io.PrintWriter;
import java.util.Locale;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Rollouts as people read them: a list, or one rollout with its steps, guardrails (chart URLs) and evidence. */
final class RolloutTables {

    private RolloutTables() {
    }

    static void list(JsonArray rollouts, PrintWriter out) {
        out.printf("%-16s %-28s %-18s %-6s %-7s %s%n", "ID", "TARGET", "STATE", "STEP", "SHARE", "LAST VERDICT");
        for (JsonValue v : rollouts) {
            JsonObject r = v.asJsonObject();
            JsonObject last = r.get("last_verdict") instanceof JsonObject o ? o : null;
            out.printf("%-16s %-28s %-18s %-6s %-7s %s%n", text(r, "id"), target(r.getJsonObject("target")),
                    text(r, "state"), (r.getInt("step_index") + 1) + "/" + r.getInt("steps"),
                    percent(r.getJsonNumber("share").doubleValue()),
                    last == null ? "-" : text(last, "kind") + " (" + text(last, "verdict_id") + ")");
        }
    }

    static void detail(JsonObject d, String baseUrl, PrintWriter out) {
        JsonObject s = d.getJsonObject("summary");
        out.printf("Rollout %s: %s%n", text(s, "id"), target(s.getJsonObject("target")));
        out.printf("State   %s, step %d of %d at %s (created by %s)%n", text(s, "state"), s.getInt("step_index") + 1,
                s.getInt("steps"), percent(s.getJsonNumber("share").doubleValue()), text(s, "created_by"));
        out.println();
        out.printf("%-5s %-7s %-12s %-10s %-24s %s%n", "STEP", "SHARE", "MIN TIME", "MIN EXP.", "SIGN-OFF", "STARTED");
        for (JsonValue v : array(d, "steps")) {
            JsonObject st = v.asJsonObject();
            StringBuilder signOff = new StringBuilder();
            for (JsonValue role : array(st, "sign_off")) {
                String name = ((jakarta.json.JsonString) role).getString();
                boolean signed = array(st, "signed").stream()
                        .anyMatch(x -> name.equals(text(x.asJsonObject(), "role")));
                signOff.append(signOff.length() == 0 ? "" : ",").append(name).append(signed ? "✓" : "");
            }
            out.printf("%-5d %-7s %-12s %-10s %-24s %s%n", st.getInt("index") + 1,
                    percent(st.getJsonNumber("share").doubleValue()),
                    duration(st.getJsonNumber("minimum_duration_seconds").longValue()),
                    text(st, "minimum_exposure"), signOff.length() == 0 ? "-" : signOff, text(st, "started_at"));
        }
        out.println();
        out.println("Guardrails (charts: SVG, open with the same bearer token):");
        for (JsonValue v : array(d, "guardrails")) {
            JsonObject g = v.asJsonObject();
            // Judged against control with a margin, or against a limit of its own (a capacity, a ceiling).
            String limit = text(g, "limit");
            String judged = limit.equals("-") ? "margin " + text(g, "margin")
                    : (text(g, "period_seconds").equals("-") ? "ceiling " : "capacity ") + limit;
            out.printf("  %-24s %-22s %-28s %-24s %-8s %s%n", text(g, "name"), text(g, "metric"),
                    text(g, "cohort").isEmpty() ? "(all)" : text(g, "cohort"), judged, text(g, "action"),
                    text(g, "chart"));
        }
        if (d.get("latest_verdict") instanceof JsonObject lv) {
            out.println();
            out.printf("Latest verdict %s: %s at %s, share %s: %s%n", text(lv, "verdict_id"), text(lv, "kind"),
                    text(lv, "evaluated_at"), percent(lv.getJsonNumber("treatment_share").doubleValue()),
                    text(lv, "reason"));
            for (JsonValue v : array(lv, "evidence")) {
                JsonObject e = v.asJsonObject();
                out.printf("  %-24s %-14s estimate %-10s harm [%s, %s] margin %s  n %s/%s %s%n",
                        text(e, "guardrail"), text(e, "judgement"), text(e, "estimate"), text(e, "harm_lower"),
                        text(e, "harm_upper"), text(e, "margin"), text(e, "treatment_exposure"),
                        text(e, "control_exposure"), text(e, "missing").equals("-") ? "" : text(e, "missing"));
                if (e.get("limit") instanceof JsonObject l) {
                    boolean capacity = l.getJsonNumber("period_seconds").longValue() > 0;
                    StringBuilder projected = new StringBuilder();
                    for (JsonValue p : array(l, "projections")) {
                        JsonObject x = p.asJsonObject();
                        projected.append(projected.length() == 0 ? "" : ", ").append(capacity
                                ? String.format(Locale.ROOT, "%s: %.0f [%.0f, %.0f]",
                                        percent(x.getJsonNumber("share").doubleValue()),
                                        x.getJsonNumber("estimate").doubleValue(),
                                        x.getJsonNumber("lower").doubleValue(), x.getJsonNumber("upper").doubleValue())
                                : String.format(Locale.ROOT, "%s [%s, %s]",
                                        percent(x.getJsonNumber("estimate").doubleValue()),
                                        percent(x.getJsonNumber("lower").doubleValue()),
                                        percent(x.getJsonNumber("upper").doubleValue())));
                    }
                    double value = l.getJsonNumber("limit").doubleValue();
                    out.printf("  %-24s %s against %s%n", "", capacity ? "per " + duration(
                            l.getJsonNumber("period_seconds").longValue()) + " at shares " + projected
                            : "treatment's projected rate " + projected, capacity
                                    ? String.format(Locale.ROOT, "capacity %.0f", value) : "ceiling " + percent(value));
                }
            }
        }
        JsonArray audit = array(d, "audit");
        if (!audit.isEmpty()) {
            out.println();
            out.println("Audit (latest 5):");
            for (int i = Math.max(0, audit.size() - 5); i < audit.size(); i++) {
                JsonObject a = audit.getJsonObject(i);
                out.printf("  %s %-14s %-18s -> %-18s %s: %s%n", text(a, "at"), text(a, "action"),
                        text(a, "state_before"), text(a, "state_after"), text(a, "actor"), text(a, "reason"));
            }
        }
    }

    static String target(JsonObject t) {
        String model = text(t, "model_version");
        String policy = text(t, "policy_version");
        return (model.equals("-") ? "" : "model " + model) + (!model.equals("-") && !policy.equals("-") ? " + " : "")
                + (policy.equals("-") ? "" : "policy " + policy);
    }

    static String percent(double share) {
        String p = String.format(Locale.ROOT, "%.2f", share * 100).replaceAll("\\.?0+$", "");
        return p + "%";
    }

    static String duration(long seconds) {
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
