package io.vigil.cli.analyze;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.vigil.cli.rollout.GuardrailConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil analyze impact|slices|what-if|funnel|did|switchback|cases}: guardrail-service's /analyses over the
 * decision ledger, as tables with their confidence intervals (or the service's JSON with {@code --output json}).
 * Exit 0 ok, 1 the service refused (its problem detail and field printed) or is unreachable, 2 wrong usage.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyses over the decision ledger (guardrail-service /analyses), in event time.",
        subcommands = {AnalyzeCommand.Impact.class, AnalyzeCommand.Slices.class, AnalyzeCommand.WhatIf.class,
                AnalyzeCommand.Funnel.class, AnalyzeCommand.Did.class, AnalyzeCommand.Switchback.class,
                AnalyzeCommand.Cases.class})
public final class AnalyzeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: impact, slices, what-if, funnel, did, switchback or cases");
    }

    /** The options every analysis takes: cohort and event-time window. */
    static final class Scope {
        @Option(names = "--cohort", description = "attribute=value terms, e.g. country=CA,age=18-24 (default: all)")
        String cohort;

        @Option(names = "--from", description = "window start, ISO-8601 (default: 24 h before --to)")
        String from;

        @Option(names = "--to", description = "window end, ISO-8601 (default: the newest event time)")
        String to;
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuardrailConnection guardrail;

        @Mixin
        Scope scope;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** The analysis' path under /analyses and its own query parameters (scope added by {@link #call}). */
        abstract String path();

        abstract void parameters(Map<String, String> q);

        abstract void table(JsonObject answer, PrintWriter out);

        @Override
        public Integer call() throws Exception {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("cohort", scope.cohort);
            q.put("from", scope.from);
            q.put("to", scope.to);
            parameters(q);
            StringBuilder url = new StringBuilder("/analyses/").append(path());
            char sep = '?';
            for (Map.Entry<String, String> e : q.entrySet()) {
                if (e.getValue() != null && !e.getValue().isBlank()) {
                    url.append(sep).append(e.getKey()).append('=')
                            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                    sep = '&';
                }
            }
            GuardrailConnection.Answer a;
            try {
                a = guardrail.get(url.toString());
            } catch (IOException e) {
                spec.commandLine().getErr().println("vigil analyze: cannot reach " + guardrail.baseUrl() + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return 1;
            }
            if (!a.ok()) {
                return fail(a);
            }
            if (guardrail.json()) {
                out().println(a.body());
            } else {
                table(parse(a.body()).asJsonObject(), out());
            }
            out().flush();
            return 0;
        }

        int fail(GuardrailConnection.Answer a) {
            return guardrail.refused(a, "vigil analyze", out(), spec.commandLine().getErr());
        }
    }

    @Command(name = "impact", mixinStandardHelpOptions = true, description = "A cohort's rate with its 95%% CI "
            + "against its baseline: excess harmed payments with a CI and money at stake.")
    static final class Impact extends Base {
        @Option(names = "--metric", description = "incorrect-approval (default), chargeback, approval, decline, "
                + "step-up, review, fallback, conversion, step-up-pass")
        String metric;

        @Option(names = "--baseline-rate", description = "the baseline rate (default: the cohort in the preceding "
                + "window of the same length)")
        String baseline;

        String path() {
            return "impact";
        }

        void parameters(Map<String, String> q) {
            q.put("metric", metric);
            q.put("baseline_rate", baseline);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.impact(a, out);
        }
    }

    @Command(name = "slices", mixinStandardHelpOptions = true, description = "Slices ranked by their share of the "
            + "cohort's excess over its baseline.")
    static final class Slices extends Base {
        @Option(names = "--metric", description = "as for impact (default incorrect-approval)")
        String metric;

        @Option(names = "--by", defaultValue = "merchant",
                description = "merchant (default), device, bin_country, channel, amount_band, bin, ...")
        String by;

        @Option(names = "--baseline-rate", description = "the baseline rate (default: the preceding window)")
        String baseline;

        @Option(names = "--limit", description = "slices shown (default 10)")
        String limit;

        String path() {
            return "slices";
        }

        void parameters(Map<String, String> q) {
            q.put("metric", metric);
            q.put("by", by);
            q.put("baseline_rate", baseline);
            q.put("limit", limit);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.slices(a, out);
        }
    }

    @Command(name = "what-if", mixinStandardHelpOptions = true, description = "A proposed threshold on logged "
            + "scores and labels: reviews added, frauds newly caught, flagged total against review capacity.")
    static final class WhatIf extends Base {
        @Option(names = "--threshold", required = true, description = "proposed threshold, in (0, 1)")
        String threshold;

        @Option(names = "--current", required = true, description = "current threshold, in (0, 1)")
        String current;

        @Option(names = "--model", description = "score of this model version (a shadow, say) instead of the "
                + "deciding one")
        String model;

        @Option(names = "--payments", description = "volume to project onto (default: the window's decisions)")
        String payments;

        @Option(names = "--review-capacity", description = "reviews the desk can take over that volume")
        String capacity;

        String path() {
            return "what-if";
        }

        void parameters(Map<String, String> q) {
            q.put("threshold", threshold);
            q.put("current_threshold", current);
            q.put("model", model);
            q.put("payments", payments);
            q.put("review_capacity", capacity);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.whatIf(a, out);
        }
    }

    @Command(name = "funnel", mixinStandardHelpOptions = true, description = "Per channel, step conversions before "
            + "vs after a time with CIs; the step that moved named.")
    static final class Funnel extends Base {
        @Option(names = "--at", required = true, description = "the change time, ISO-8601, inside the window")
        String at;

        String path() {
            return "funnel";
        }

        void parameters(Map<String, String> q) {
            q.put("at", at);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.funnel(a, guardrail.baseUrl(), out);
        }
    }

    @Command(name = "did", mixinStandardHelpOptions = true, description = "Difference-in-differences of the cohort "
            + "against a control (default: every decision outside it) around a change time.")
    static final class Did extends Base {
        @Option(names = "--control", description = "the control cohort (default: everything outside --cohort)")
        String control;

        @Option(names = "--metric", description = "as for impact (default incorrect-approval)")
        String metric;

        @Option(names = "--at", required = true, description = "the change time, ISO-8601, inside the window")
        String at;

        String path() {
            return "did";
        }

        void parameters(Map<String, String> q) {
            q.put("control", control);
            q.put("metric", metric);
            q.put("at", at);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.did(a, out);
        }
    }

    @Command(name = "switchback", mixinStandardHelpOptions = true, description = "Block length and number of "
            + "blocks of a switchback test, from the cohort's measured volume and rate.")
    static final class Switchback extends Base {
        @Option(names = "--metric", description = "as for impact (default incorrect-approval)")
        String metric;

        @Option(names = "--effect", required = true, description = "absolute effect to detect, e.g. 0.005")
        String effect;

        @Option(names = "--carry-over-hours", description = "how long the change lingers after a switch (0.5)")
        String carryOver;

        @Option(names = "--alpha", description = "two-sided level (0.05)")
        String alpha;

        @Option(names = "--power", description = "power (0.8)")
        String power;

        String path() {
            return "switchback";
        }

        void parameters(Map<String, String> q) {
            q.put("metric", metric);
            q.put("effect", effect);
            q.put("carry_over_hours", carryOver);
            q.put("alpha", alpha);
            q.put("power", power);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.switchback(a, out);
        }
    }

    @Command(name = "cases", mixinStandardHelpOptions = true, description = "A stratified sample of decisions "
            + "(outcome x score band) with features, reasons and outcomes; account and card ids masked.")
    static final class Cases extends Base {
        @Option(names = "--per-stratum", description = "decisions per stratum, 1-50 (default 5)")
        String perStratum;

        String path() {
            return "cases";
        }

        void parameters(Map<String, String> q) {
            q.put("per_stratum", perStratum);
        }

        void table(JsonObject a, PrintWriter out) {
            AnalyzeTables.cases(a, out);
        }
    }

    static JsonValue parse(String body) {
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readValue();
        }
    }

    static String text(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "-";
        }
        return v instanceof JsonString s ? s.getString() : v.toString();
    }
}
