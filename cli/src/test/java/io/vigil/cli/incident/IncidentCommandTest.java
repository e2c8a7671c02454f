package io.vigil.cli.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.vigil.cli.VigilCli;
import picocli.CommandLine;

/**
 * The command's requests and output, against a JDK HTTP server standing in for incident-service's REST answers (the
 * service's own behaviour is tested in incident-service over real Kafka and PostgreSQL).
 */
class IncidentCommandTest {

    record Seen(String method, String path, String authorization, String body) {
    }

    HttpServer server;
    final List<Seen> seen = new ArrayList<>();
    int status = 200;
    String answer = "[]";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new VigilCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static final String INCIDENT = "{\"id\":\"4f1c0d2e-0000-4000-8000-000000000001\",\"title\":\"IAR alarm in CA 18-24\","
            + "\"state\":\"DETECTED\",\"severity\":\"SEV1\",\"opened_at\":\"2026-11-27T02:00:00Z\"}";

    @Test
    void listsAsATableOrAsTheServicesJson() {
        answer = "[" + INCIDENT + "]";
        Run table = run("incident", "list", "--open", "--url", url(), "--token", "tok");
        assertEquals(0, table.exit(), table.err());
        assertEquals(new Seen("GET", "/incidents?open=true", "Bearer tok", ""), seen.get(0));
        assertTrue(table.out().contains("4f1c0d2e-0000-4000-8000-000000000001  DETECTED       SEV1  2026-11-27T02:00:00Z  IAR alarm in CA 18-24"),
                table.out());
        Run json = run("incident", "list", "--output", "json", "--url", url(), "--token", "tok");
        assertEquals("[" + INCIDENT + "]", json.out().strip());
    }

    @Test
    void transitionSendsTheStateAndReason() {
        answer = INCIDENT.replace("DETECTED", "INVESTIGATING");
        Run r = run("incident", "transition", "4f1c0d2e-0000-4000-8000-000000000001", "investigating", "--reason",
                "paged", "--url", url(), "--token", "tok");
        assertEquals(0, r.exit(), r.err());
        assertEquals("POST", seen.get(0).method());
        assertEquals("/incidents/4f1c0d2e-0000-4000-8000-000000000001/transitions", seen.get(0).path());
        assertEquals("{\"state\":\"INVESTIGATING\",\"reason\":\"paged\"}", seen.get(0).body());
        assertEquals("4f1c0d2e-0000-4000-8000-000000000001 is INVESTIGATING", r.out().strip());
    }

    @Test
    void openAndSeverityAndNoteSendTheirBodies() {
        answer = INCIDENT;
        assertEquals(0, run("incident", "open", "--title", "t", "--severity", "sev2", "--component", "step-up",
                "--component", "payments-ca", "--url", url(), "--token", "tok").exit());
        assertEquals("{\"title\":\"t\",\"severity\":\"SEV2\",\"components\":[\"step-up\",\"payments-ca\"]}", seen.get(0).body());
        assertEquals(0, run("incident", "severity", "abc", "SEV1", "--reason", "finance", "--url", url(), "--token", "tok").exit());
        assertEquals(new Seen("PUT", "/incidents/abc/severity", "Bearer tok", "{\"severity\":\"SEV1\",\"reason\":\"finance\"}"),
                seen.get(1));
        answer = "{\"occurred_at\":\"2026-11-27T10:10:00Z\"}";
        Run note = run("incident", "note", "abc", "late write-up", "--at", "2026-11-27T10:10:00Z", "--url", url(), "--token", "tok");
        assertEquals("{\"text\":\"late write-up\",\"occurred_at\":\"2026-11-27T10:10:00Z\"}", seen.get(2).body());
        assertEquals("noted at 2026-11-27T10:10:00Z", note.out().strip());
    }

    @Test
    void aRefusalExits1WithTheProblemsDetail() {
        status = 409;
        answer = "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"an incident in DETECTED cannot move to MONITORING\",\"field\":\"state\"}";
        Run r = run("incident", "transition", "abc", "MONITORING", "--reason", "x", "--url", url(), "--token", "tok");
        assertEquals(1, r.exit());
        assertEquals("vigil incident: refused: 409 an incident in DETECTED cannot move to MONITORING (field state)", r.err().strip());
    }

    static final String ITEM = "{\"id\":\"9a7e0000-0000-4000-8000-000000000002\",\"incident_id\":\"abc\",\"kind\":\"DETECT\","
            + "\"description\":\"cohort monitors for age x region\",\"owner\":\"eve\",\"due_date\":\"2026-12-20\","
            + "\"verification\":\"a replay pages within 30 min\",\"done_at\":null,\"overdue\":false}";

    @Test
    void actionItemUpdateSendsOnlyTheGivenFieldsAsAPatch() {
        answer = ITEM;
        Run r = run("incident", "action-item", "update", "abc", "9a7e0000-0000-4000-8000-000000000002", "--owner", "eve",
                "--due", "2026-12-20", "--status", "open", "--url", url(), "--token", "tok");
        assertEquals(0, r.exit(), r.err());
        assertEquals(new Seen("PATCH", "/incidents/abc/action-items/9a7e0000-0000-4000-8000-000000000002", "Bearer tok",
                "{\"owner\":\"eve\",\"due_date\":\"2026-12-20\",\"status\":\"OPEN\"}"), seen.get(0));
        assertTrue(r.out().contains("9a7e0000-0000-4000-8000-000000000002  DETECT    open     2026-12-20  eve"
                + "               cohort monitors for age x region"), r.out());
        Run nothing = run("incident", "action-item", "update", "abc", "x", "--url", url(), "--token", "tok");
        assertEquals(2, nothing.exit());
        assertTrue(nothing.err().contains("nothing to change"), nothing.err());
        assertEquals(1, seen.size(), "nothing sent for an empty edit");
    }

    @Test
    void actionItemListMarksOverdueAndAddSendsTheItem() {
        answer = "[" + ITEM.replace("\"overdue\":false", "\"overdue\":true") + "]";
        Run list = run("incident", "action-item", "list", "--overdue", "--url", url(), "--token", "tok");
        assertEquals(0, list.exit(), list.err());
        assertEquals("/action-items?overdue=true", seen.get(0).path());
        assertTrue(list.out().contains("  DETECT    OVERDUE  2026-12-20  eve  "), list.out());
        answer = ITEM;
        assertEquals(0, run("incident", "action-item", "add", "abc", "--kind", "detect", "--description", "d",
                "--owner", "eve", "--due", "2026-12-20", "--verification", "v", "--url", url(), "--token", "tok").exit());
        assertEquals(new Seen("POST", "/incidents/abc/action-items", "Bearer tok", "{\"kind\":\"DETECT\","
                + "\"description\":\"d\",\"owner\":\"eve\",\"due_date\":\"2026-12-20\",\"verification\":\"v\"}"),
                seen.get(1));
        assertEquals(2, run("incident", "action-item", "list", "--url", url(), "--token", "tok").exit(),
                "an incident id or --overdue is needed");
    }

    @Test
    void withoutATokenItSaysHowToGetOne(@TempDir Path empty) {
        Assumptions.assumeTrue(System.getenv("VIGIL_TOKEN") == null, "VIGIL_TOKEN is set in this environment");
        Run r = run("incident", "list", "--url", url(), "--state-dir", empty.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("export VIGIL_TOKEN=$(./bin/vigil token --role operator --sub you)"), r.err());
        assertTrue(seen.isEmpty());
    }

    @Test
    void theTokenAndAddressCanComeFromTheStateDirectory(@TempDir Path state) throws IOException {
        Assumptions.assumeTrue(System.getenv("VIGIL_TOKEN") == null && System.getenv("VIGIL_INCIDENT_URL") == null);
        java.nio.file.Files.writeString(state.resolve("token"), "from-file\n");
        java.nio.file.Files.writeString(state.resolve("incident-url"), url());
        assertEquals(0, run("incident", "list", "--state-dir", state.toString()).exit());
        assertEquals("Bearer from-file", seen.get(0).authorization());
    }
}
