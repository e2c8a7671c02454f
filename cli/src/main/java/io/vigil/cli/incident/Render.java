package io.vigil.cli.incident;

import java.util.Locale;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Tables for people (--output json gives the service's JSON unchanged). */
final class Render {

    private Render() {
    }

    static String incidents(JsonArray list) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-36s  %-13s  %-4s  %-20s  %s%n", "ID", "STATE",
                "SEV", "OPENED", "TITLE"));
        for (JsonValue v : list) {
            JsonObject i = v.asJsonObject();
            b.append(String.format(Locale.ROOT, "%-36s  %-13s  %-4s  %-20s  %s%n", IncidentCommand.text(i, "id"),
                    IncidentCommand.text(i, "state"), IncidentCommand.text(i, "severity"),
                    IncidentCommand.text(i, "opened_at"), IncidentCommand.text(i, "title")));
        }
        return b.toString().stripTrailing();
    }

    static String incident(JsonObject i) {
        StringBuilder b = new StringBuilder();
        b.append(IncidentCommand.text(i, "title")).append('\n');
        b.append("  id        ").append(IncidentCommand.text(i, "id")).append('\n');
        b.append("  state     ").append(IncidentCommand.text(i, "state")).append("  (next: ")
                .append(String.join(", ", i.getJsonArray("allowed_transitions").getValuesAs(
                        (JsonValue s) -> ((jakarta.json.JsonString) s).getString()))).append(")\n");
        b.append("  severity  ").append(IncidentCommand.text(i, "severity")).append('\n');
        b.append("  opened    ").append(IncidentCommand.text(i, "opened_at")).append("   last event ")
                .append(IncidentCommand.text(i, "last_event_at")).append('\n');
        JsonObject impact = i.getJsonObject("impact");
        if (impact != null) {
            b.append(String.format(Locale.ROOT, "  impact    excess harmed %.0f..%.0f, money at stake %.0f, checkout share %.2f%%%n",
                    impact.getJsonNumber("excess_harmed_low").doubleValue(),
                    impact.getJsonNumber("excess_harmed_high").doubleValue(),
                    impact.getJsonNumber("money_at_stake").doubleValue(),
                    impact.getJsonNumber("checkout_share").doubleValue() * 100));
        }
        JsonArray timeline = i.getJsonArray("timeline");
        if (timeline != null) {
            b.append("timeline\n");
            for (JsonValue v : timeline) {
                JsonObject e = v.asJsonObject();
                int count = e.getInt("count", 1);
                b.append(String.format(Locale.ROOT, "  %-20s  %-14s  %s%s%n", IncidentCommand.text(e, "occurred_at"),
                        IncidentCommand.text(e, "kind"), IncidentCommand.text(e, "summary"),
                        count > 1 ? "  (x" + count + ", last " + IncidentCommand.text(e, "last_seen") + ")" : ""));
            }
        }
        return b.toString().stripTrailing();
    }

    static String actionItems(JsonArray list) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-36s  %-8s  %-7s  %-10s  %-16s  %s%n", "ID",
                "KIND", "STATUS", "DUE", "OWNER", "ACTION"));
        for (JsonValue v : list) {
            JsonObject a = v.asJsonObject();
            String status = !IncidentCommand.text(a, "done_at").isEmpty() ? "done"
                    : a.getBoolean("overdue", false) ? "OVERDUE" : "open";
            b.append(String.format(Locale.ROOT, "%-36s  %-8s  %-7s  %-10s  %-16s  %s%n", IncidentCommand.text(a, "id"),
                    IncidentCommand.text(a, "kind"), status, IncidentCommand.text(a, "due_date"),
                    IncidentCommand.text(a, "owner"), IncidentCommand.text(a, "description")));
        }
        return b.toString().stripTrailing();
    }
}
