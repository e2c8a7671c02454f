package io.vigil.cli.monitor;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.vigil.cli.rollout.GuardrailConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil monitors [--state S] [--metric M] [--cohort C]} and {@code vigil monitors show ID}: guardrail-service's
 * cohort monitors (GET /monitors), alarms first, each with its rate against the baseline and how close its statistic
 * is to paging. Exit 0 ok, 1 refused or unreachable, 2 wrong usage.
 */
@Command(name = "monitors", mixinStandardHelpOptions = true,
        description = "Cohort monitors on guardrail-service: rate against the baseline, statistic against the paging "
                + "threshold, alarms first.",
        subcommands = MonitorsCommand.Show.class)
public final class MonitorsCommand implements Callable<Integer> {

    private static final String NAME = "vigil monitors";

    @Spec
    CommandSpec spec;

    @Mixin
    GuardrailConnection guardrail;

    @Option(names = "--state", description = "ALARM, OK, NO_BASELINE or NO_DATA")
    String state;

    @Option(names = "--metric", description = "e.g. incorrect_approval, decline_rate, conversion")
    String metric;

    @Option(names = "--cohort", description = "the cohort as the monitor names it, e.g. country=CA,age=18-24")
    String cohort;

    @Override
    public Integer call() {
        StringBuilder path = new StringBuilder("/monitors");
        char sep = '?';
        for (String[] q : new String[][] {{"state", state}, {"metric", metric}, {"cohort", cohort}}) {
            if (q[1] != null && !q[1].isBlank()) {
                path.append(sep).append(q[0]).append('=').append(URLEncoder.encode(q[1], StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        GuardrailConnection.Answer a = fetch(guardrail, path.toString(), spec);
        if (a == null) {
            return 1;
        }
        if (!a.ok()) {
            return guardrail.refused(a, NAME, out, spec.commandLine().getErr());
        }
        if (guardrail.json()) {
            out.println(a.body());
        } else {
            List<JsonObject> monitors = new ArrayList<>();
            try (JsonReader r = Json.createReader(new StringReader(a.body()))) {
                r.readArray().forEach(v -> monitors.add(v.asJsonObject()));
            }
            table(monitors, out);
        }
        out.flush();
        return 0;
    }

    static GuardrailConnection.Answer fetch(GuardrailConnection guardrail, String path, CommandSpec spec) {
        try {
            return guardrail.get(path);
        } catch (IOException e) {
            spec.commandLine().getErr().println(NAME + ": cannot reach " + guardrail.baseUrl() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Alarms first, then by how close the statistic is to paging: what an on-call lead reads top-down. */
    static void table(List<JsonObject> monitors, PrintWriter out) {
        if (monitors.isEmpty()) {
            out.println("no monitor matches");
            return;
        }
        List<JsonObject> sorted = new ArrayList<>(monitors);
        sorted.sort((x, y) -> {
            int alarm = Boolean.compare("ALARM".equals(text(y, "state")), "ALARM".equals(text(x, "state")));
            return alarm != 0 ? alarm : Double.compare(closeness(y), closeness(x));
        });
        int width = "MONITOR".length();
        for (JsonObject m : sorted) {
            width = Math.max(width, text(m, "id").length());
        }
        String row = "%-" + width + "s  %-7s  %8s  %-20s  %-19s  %13s  %9s  %s%n";
        out.printf(row, "MONITOR", "STATE", "RATE", "BASELINE", "BAND", "LOG R / PAGE", "N", "ALARM SINCE");
        for (JsonObject m : sorted) {
            out.printf(row, text(m, "id"), text(m, "state"), percent(m, "estimate"),
                    percent(m, "baseline") + " " + text(m, "baseline_source").toLowerCase(Locale.ROOT),
                    "[" + percent(m, "band_lower") + ", " + percent(m, "band_upper") + "]",
                    number(m, "log_statistic", "%.1f") + " / " + number(m, "log_page_threshold", "%.1f"),
                    number(m, "exposure", "%,.0f"), text(m, "alarm_since"));
        }
    }

    /** The statistic's share of the paging threshold; monitors without one sort last. */
    private static double closeness(JsonObject m) {
        JsonValue s = m.get("log_statistic");
        JsonValue t = m.get("log_page_threshold");
        if (s == null || t == null || s.getValueType() != JsonValue.ValueType.NUMBER
                || t.getValueType() != JsonValue.ValueType.NUMBER) {
            return Double.NEGATIVE_INFINITY;
        }
        return m.getJsonNumber("log_statistic").doubleValue() / m.getJsonNumber("log_page_threshold").doubleValue();
    }

    static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "-";
        }
        return v instanceof JsonString s ? s.getString() : v.toString();
    }

    static String percent(JsonObject o, String key) {
        return number(o, key, "%.2f%%", 100);
    }

    static String number(JsonObject o, String key, String format) {
        return number(o, key, format, 1);
    }

    private static String number(JsonObject o, String key, String format, double scale) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() != JsonValue.ValueType.NUMBER) {
            return "-";
        }
        return String.format(Locale.ROOT, format, o.getJsonNumber(key).doubleValue() * scale);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One monitor: state, rate, baseline and band, statistic, and its chart's URL.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuardrailConnection guardrail;

        @Parameters(index = "0", paramLabel = "ID", description = "e.g. incorrect_approval@country=CA,age=18-24")
        String id;

        @Override
        public Integer call() {
            String path = "/monitors/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            PrintWriter out = spec.commandLine().getOut();
            GuardrailConnection.Answer a = fetch(guardrail, path, spec);
            if (a == null) {
                return 1;
            }
            if (!a.ok()) {
                return guardrail.refused(a, NAME, out, spec.commandLine().getErr());
            }
            if (guardrail.json()) {
                out.println(a.body());
                out.flush();
                return 0;
            }
            JsonObject m;
            try (JsonReader r = Json.createReader(new StringReader(a.body()))) {
                m = r.readObject();
            }
            String line = "%-18s %s%n";
            out.printf(line, "monitor", text(m, "id"));
            out.printf(line, "state", text(m, "state") + ("ALARM".equals(text(m, "state"))
                    ? " since " + text(m, "alarm_since") : ""));
            out.printf(line, "rate", percent(m, "estimate") + " of " + number(m, "exposure", "%,.0f"));
            out.printf(line, "baseline", percent(m, "baseline") + " (" + text(m, "baseline_source").toLowerCase(
                    Locale.ROOT) + ", " + text(m, "baseline_weeks") + " weeks) band [" + percent(m, "band_lower")
                    + ", " + percent(m, "band_upper") + "]");
            out.printf(line, "log R", number(m, "log_statistic", "%.2f") + " (pages at "
                    + number(m, "log_page_threshold", "%.2f") + ")");
            out.printf(line, "on the list (FDR)", text(m, "on_list"));
            out.printf(line, "evaluated through", text(m, "evaluated_through"));
            out.printf(line, "chart", guardrail.baseUrl() + path + "/chart.svg");
            out.flush();
            return 0;
        }
    }
}
