package io.vigil.cli.incident;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil incident list|show|open|transition|note|severity|action-item}: incident-service from the command line. The service
 * address comes from {@code --url}, {@code VIGIL_INCIDENT_URL}, or {@code .vigil/incident-url}; the token from
 * {@code --token}, {@code VIGIL_TOKEN}, or {@code .vigil/token}. Exit 0 ok, 1 refused or unreachable, 2 wrong usage.
 */
@Command(name = "incident", mixinStandardHelpOptions = true, description = "Incidents: list, show, open, move, annotate.",
        subcommands = { IncidentCommand.ListIncidents.class, IncidentCommand.Show.class, IncidentCommand.Open.class,
            IncidentCommand.Transition.class, IncidentCommand.Note.class, IncidentCommand.SeverityOverride.class,
            ActionItemCommand.class })
public final class IncidentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: list, show, open, transition, note, severity or action-item");
    }

    /** Options every subcommand shares. */
    static final class Connection {

        @Option(names = "--url", description = "incident-service base URL (default: $VIGIL_INCIDENT_URL, "
                + ".vigil/incident-url, or http://localhost:8084)")
        String url;

        @Option(names = "--token", description = "bearer token (default: $VIGIL_TOKEN or .vigil/token)")
        String token;

        @Option(names = "--output", defaultValue = "table", description = "table or json; default ${DEFAULT-VALUE}")
        String output;

        @Option(names = "--state-dir", defaultValue = "${env:VIGIL_STATE_DIR:-.vigil}", hidden = true)
        Path stateDir;

        IncidentClient client() throws IOException {
            String u = first(url, System.getenv("VIGIL_INCIDENT_URL"), read(stateDir.resolve("incident-url")),
                    "http://localhost:8084");
            String t = first(token, System.getenv("VIGIL_TOKEN"), read(stateDir.resolve("token")), null);
            if (t == null) {
                throw new IllegalArgumentException("no token: set VIGIL_TOKEN, e.g. export VIGIL_TOKEN=$(./bin/vigil "
                        + "token --role operator --sub you), or pass --token");
            }
            return new IncidentClient(u, t);
        }

        boolean json() {
            if (!output.equals("json") && !output.equals("table")) {
                throw new IllegalArgumentException("--output must be table or json, got '" + output + "'");
            }
            return output.equals("json");
        }

        private static String read(Path p) throws IOException {
            return Files.isRegularFile(p) ? Files.readString(p).strip() : null;
        }

        private static String first(String... values) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
            return null;
        }
    }

    /** Runs a request and prints its answer; maps failures to exit codes. */
    abstract static class Sub implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        abstract JsonStructure request(IncidentClient client) throws Exception;

        abstract void table(PrintWriter out, JsonStructure answer);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                boolean json = connection.json();
                JsonStructure answer = request(connection.client());
                if (json) {
                    out.println(answer.toString());
                } else {
                    table(out, answer);
                }
                out.flush();
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("vigil incident: " + e.getMessage());
                return 2;
            } catch (IncidentClient.Refused e) {
                err.println("vigil incident: refused: " + e.getMessage());
                return 1;
            } catch (java.net.ConnectException e) {
                err.println("vigil incident: cannot reach incident-service (is it up? ./bin/vigil status)");
                return 1;
            } catch (Exception e) {
                err.println("vigil incident: " + e);
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List incidents, newest first.")
    static final class ListIncidents extends Sub {

        @Option(names = "--state", description = "only this state (DETECTED ... CLOSED)")
        String state;

        @Option(names = "--open", description = "only open incidents")
        boolean open;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            String q = state != null ? "?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8) : open ? "?open=true" : "";
            return client.get("/incidents" + q);
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println(Render.incidents((JsonArray) answer));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One incident and its timeline.")
    static final class Show extends Sub {

        @Parameters(index = "0", description = "incident id")
        String id;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            JsonObject incident = (JsonObject) client.get("/incidents/" + enc(id));
            JsonArray timeline = (JsonArray) client.get("/incidents/" + enc(id) + "/timeline");
            return Json.createObjectBuilder(incident).add("timeline", timeline).build();
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println(Render.incident((JsonObject) answer));
        }
    }

    @Command(name = "open", mixinStandardHelpOptions = true, description = "Open an incident by hand.")
    static final class Open extends Sub {

        @Option(names = "--title", required = true)
        String title;

        @Option(names = "--severity", required = true, description = "SEV1 (worst) .. SEV4")
        String severity;

        @Option(names = "--component", required = true, description = "checkout-risk-scoring, step-up, payments-<region>; repeatable")
        List<String> components;

        @Option(names = "--metric", description = "the harmed metric, e.g. INCORRECT_APPROVAL_RATE (alarms on it join)")
        String metric;

        @Option(names = "--cohort", description = "e.g. \"country=CA & age=18-24\"")
        String cohort;

        @Option(names = "--at", description = "when it started (RFC 3339, default now)")
        String at;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            JsonObjectBuilder b = Json.createObjectBuilder().add("title", title)
                    .add("severity", severity.toUpperCase(Locale.ROOT))
                    .add("components", Json.createArrayBuilder(components));
            if (metric != null) {
                b.add("metric", metric);
            }
            if (cohort != null) {
                b.add("cohort", cohort);
            }
            if (at != null) {
                b.add("occurred_at", at);
            }
            return client.post("/incidents", b.build());
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println("opened " + ((JsonObject) answer).getString("id"));
        }
    }

    @Command(name = "transition", mixinStandardHelpOptions = true,
            description = "Move an incident: INVESTIGATING, MITIGATING, MONITORING, RESOLVED (commander), CLOSED (commander).")
    static final class Transition extends Sub {

        @Parameters(index = "0", description = "incident id")
        String id;

        @Parameters(index = "1", description = "target state")
        String state;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            return client.post("/incidents/" + enc(id) + "/transitions", Json.createObjectBuilder()
                    .add("state", state.toUpperCase(Locale.ROOT)).add("reason", reason).build());
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            JsonObject i = (JsonObject) answer;
            out.println(i.getString("id") + " is " + i.getString("state"));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add a note to the timeline.")
    static final class Note extends Sub {

        @Parameters(index = "0", description = "incident id")
        String id;

        @Parameters(index = "1", description = "the note")
        String text;

        @Option(names = "--at", description = "when it happened (RFC 3339, default now): a late note lands in its place")
        String at;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            JsonObjectBuilder b = Json.createObjectBuilder().add("text", text);
            if (at != null) {
                b.add("occurred_at", at);
            }
            return client.post("/incidents/" + enc(id) + "/notes", b.build());
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println("noted at " + ((JsonObject) answer).getString("occurred_at"));
        }
    }

    @Command(name = "severity", mixinStandardHelpOptions = true, description = "Override the severity (commander), with a reason.")
    static final class SeverityOverride extends Sub {

        @Parameters(index = "0", description = "incident id")
        String id;

        @Parameters(index = "1", description = "SEV1 .. SEV4")
        String severity;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            return client.put("/incidents/" + enc(id) + "/severity", Json.createObjectBuilder()
                    .add("severity", severity.toUpperCase(Locale.ROOT)).add("reason", reason).build());
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            JsonObject i = (JsonObject) answer;
            out.println(i.getString("id") + " is " + i.getString("severity"));
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        return v.getValueType() == JsonValue.ValueType.STRING ? o.getString(key) : v.toString();
    }
}
