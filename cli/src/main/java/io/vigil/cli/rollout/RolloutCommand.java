package io.vigil.cli.rollout;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil rollout create|status|pause|resume|promote|abort|sign-off|capacity}: guardrail-service's /rollouts for people
 * (tables, the chart URLs) and scripts ({@code --output json}: the service's JSON as it came). Exit 0 ok, 1 the
 * service refused or failed (its problem detail printed), 2 wrong usage.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Rollouts of models and policies (guardrail-service /rollouts).",
        subcommands = {RolloutCommand.Create.class, RolloutCommand.Status.class, RolloutCommand.Pause.class,
                RolloutCommand.Resume.class, RolloutCommand.Promote.class, RolloutCommand.Abort.class,
                RolloutCommand.SignOff.class, RolloutCommand.Capacity.class})
public final class RolloutCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: create, status, pause, resume, promote, abort, sign-off or capacity");
    }

    /** Shared by the subcommands: print the answer or its problem. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GuardrailConnection guardrail;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        int fail(GuardrailConnection.Answer a) {
            return guardrail.refused(a, "vigil rollout", out(), spec.commandLine().getErr());
        }

        int show(GuardrailConnection.Answer a) {
            if (!a.ok()) {
                return fail(a);
            }
            if (guardrail.json()) {
                out().println(a.body());
            } else {
                RolloutTables.detail(parse(a.body()).asJsonObject(), guardrail.baseUrl(), out());
            }
            return 0;
        }

        @Override
        public Integer call() throws Exception {
            try {
                return run();
            } catch (IOException e) {
                spec.commandLine().getErr().println("vigil rollout: cannot reach " + guardrail.baseUrl() + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return 1;
            }
        }

        abstract int run() throws IOException, InterruptedException;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a rollout from a plan file "
            + "(YAML or JSON) and start its first step.")
    static final class Create extends Base {
        @Option(names = {"-f", "--file"}, required = true, description = "the plan: .yaml/.yml or .json")
        Path file;

        @Override
        int run() throws IOException, InterruptedException {
            if (!Files.isRegularFile(file)) {
                spec.commandLine().getErr().println("vigil rollout: no plan file " + file);
                return 2;
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String type = name.endsWith(".json") ? "application/json" : "application/yaml";
            return show(guardrail.post("/rollouts", type, Files.readString(file)));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "All rollouts, or one with its steps, "
            + "guardrails (and their chart URLs), latest evidence and audit.")
    static final class Status extends Base {
        @Parameters(arity = "0..1", paramLabel = "ID")
        String id;

        @Override
        int run() throws IOException, InterruptedException {
            if (id != null) {
                return show(guardrail.get("/rollouts/" + id));
            }
            GuardrailConnection.Answer a = guardrail.get("/rollouts");
            if (!a.ok()) {
                return fail(a);
            }
            if (guardrail.json()) {
                out().println(a.body());
            } else {
                RolloutTables.list(parse(a.body()).asJsonArray(), out());
            }
            return 0;
        }
    }

    /** pause, resume, promote, abort: POST /rollouts/{id}/{action} with a reason. */
    abstract static class Action extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--reason", required = true, description = "why (it goes to the audit trail)")
        String reason;

        abstract String action();

        @Override
        int run() throws IOException, InterruptedException {
            String body = Json.createObjectBuilder().add("reason", reason).build().toString();
            return show(guardrail.post("/rollouts/" + id + "/" + action(), "application/json", body));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Hold the rollout at its step.")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Promote past the current step now "
            + "(the step's sign-offs are still required).")
    static final class Promote extends Action {
        @Override
        String action() {
            return "promote";
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Stop and restore the previous line-up.")
    static final class Abort extends Action {
        @Override
        String action() {
            return "abort";
        }
    }

    @Command(name = "sign-off", mixinStandardHelpOptions = true, description = "Sign off the current step for a "
            + "role the plan names (recorded with your token's subject).")
    static final class SignOff extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--role", required = true, description = "the role you sign for, e.g. risk")
        String role;

        @Option(names = "--reason", description = "optional note for the audit trail")
        String reason;

        @Override
        int run() throws IOException, InterruptedException {
            var body = Json.createObjectBuilder().add("role", role);
            if (reason != null) {
                body.add("reason", reason);
            }
            return show(guardrail.post("/rollouts/" + id + "/sign-offs", "application/json", body.build().toString()));
        }
    }

    @Command(name = "capacity", mixinStandardHelpOptions = true, description = "Change a REVIEW_QUEUE_LOAD or "
            + "STEP_UP_BUDGET guardrail's capacity (events per period); audited, judged from the next minute on.")
    static final class Capacity extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--guardrail", required = true, description = "the guardrail's name in the plan")
        String name;

        @Option(names = "--capacity", required = true, description = "events per period, e.g. 1500")
        double capacity;

        @Option(names = "--period", description = "hour, day, week or e.g. 30m; default: the guardrail's own")
        String period;

        @Option(names = "--reason", required = true, description = "why (it goes to the audit trail)")
        String reason;

        @Override
        int run() throws IOException, InterruptedException {
            var body = Json.createObjectBuilder().add("capacity", capacity).add("reason", reason);
            if (period != null) {
                body.add("period", period);
            }
            return show(guardrail.put("/rollouts/" + id + "/guardrails/" + URLEncoder.encode(name,
                    StandardCharsets.UTF_8).replace("+", "%20") + "/capacity", "application/json",
                    body.build().toString()));
        }
    }

    static JsonValue parse(String body) {
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readValue();
        }
    }

    static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "-";
        }
        return v instanceof JsonString s ? s.getString() : v.toString();
    }

    static JsonArray array(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
    }
}
