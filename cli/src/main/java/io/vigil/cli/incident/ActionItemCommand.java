package io.vigil.cli.incident;

import java.io.PrintWriter;
import java.util.Locale;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil incident action-item list|add|update}: postmortem action items (typed DETECT, MITIGATE, PREVENT, with
 * owner, due date and verification criterion). {@code update} edits owner, due date, status (open/done) and
 * verification; the service audits every edit with the token's subject.
 */
@Command(name = "action-item", mixinStandardHelpOptions = true,
        description = "Postmortem action items: list (overdue ones marked), add, update.",
        subcommands = { ActionItemCommand.ListItems.class, ActionItemCommand.Add.class, ActionItemCommand.Update.class })
final class ActionItemCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: list, add or update");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "An incident's action items, or with --overdue and no incident the overdue ones of all.")
    static final class ListItems extends IncidentCommand.Sub {

        @Parameters(index = "0", arity = "0..1", description = "incident id (omit with --overdue for all incidents)")
        String id;

        @Option(names = "--overdue", description = "only open items past their due date")
        boolean overdue;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            if (id == null) {
                if (!overdue) {
                    throw new IllegalArgumentException("give an incident id, or --overdue for every incident's");
                }
                return client.get("/action-items?overdue=true");
            }
            JsonArray items = (JsonArray) client.get("/incidents/" + IncidentCommand.enc(id) + "/action-items");
            if (!overdue) {
                return items;
            }
            var only = Json.createArrayBuilder();
            items.stream().map(v -> v.asJsonObject()).filter(o -> o.getBoolean("overdue", false)).forEach(only::add);
            return only.build();
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println(Render.actionItems((JsonArray) answer));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an action item to an incident.")
    static final class Add extends IncidentCommand.Sub {

        @Parameters(index = "0", description = "incident id")
        String id;

        @Option(names = "--kind", required = true, description = "DETECT, MITIGATE or PREVENT")
        String kind;

        @Option(names = "--description", required = true)
        String description;

        @Option(names = "--owner", required = true)
        String owner;

        @Option(names = "--due", required = true, description = "due date, YYYY-MM-DD")
        String due;

        @Option(names = "--verification", required = true, description = "how we will know it is done")
        String verification;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            return client.post("/incidents/" + IncidentCommand.enc(id) + "/action-items", Json.createObjectBuilder()
                    .add("kind", kind.toUpperCase(Locale.ROOT)).add("description", description).add("owner", owner)
                    .add("due_date", due).add("verification", verification).build());
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println("added " + IncidentCommand.text((JsonObject) answer, "id"));
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Edit an action item: any of --owner, --due, --status open|done, --verification.")
    static final class Update extends IncidentCommand.Sub {

        @Parameters(index = "0", description = "incident id")
        String id;

        @Parameters(index = "1", description = "action item id")
        String item;

        @Option(names = "--owner")
        String owner;

        @Option(names = "--due", description = "due date, YYYY-MM-DD")
        String due;

        @Option(names = "--status", description = "open or done")
        String status;

        @Option(names = "--verification")
        String verification;

        @Override
        JsonStructure request(IncidentClient client) throws Exception {
            JsonObjectBuilder b = Json.createObjectBuilder();
            if (owner != null) {
                b.add("owner", owner);
            }
            if (due != null) {
                b.add("due_date", due);
            }
            if (status != null) {
                b.add("status", status.toUpperCase(Locale.ROOT));
            }
            if (verification != null) {
                b.add("verification", verification);
            }
            JsonObject body = b.build();
            if (body.isEmpty()) {
                throw new IllegalArgumentException("nothing to change: give --owner, --due, --status or --verification");
            }
            return client.patch("/incidents/" + IncidentCommand.enc(id) + "/action-items/"
                    + IncidentCommand.enc(item), body);
        }

        @Override
        void table(PrintWriter out, JsonStructure answer) {
            out.println(Render.actionItems(Json.createArrayBuilder().add((JsonObject) answer).build()));
        }
    }
}
