package io.vigil.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.vigil.cli.VigilCli;
import picocli.CommandLine;

/**
 * {@code vigil rollout capacity}: the request it sends and what it prints, against a JDK HTTP server standing in for
 * guardrail-service's answers (the endpoint itself is tested in guardrail-service's RolloutsWithScoringTest).
 */
class RolloutCapacityCommandTest {

    record Seen(String method, String path, String authorization, String body) {
    }

    HttpServer server;
    final List<Seen> seen = new ArrayList<>();
    int status = 200;
    String answer = RolloutTablesTest.LIMITS;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json"
                    : "application/json");
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

    String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("rollout", "capacity", "ro-2", "--url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t-1"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void putsTheNewCapacityAndPrintsTheRollout() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new VigilCli());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(args("--guardrail", "review queue", "--capacity", "1500", "--period", "day",
                "--reason", "two more reviewers"));
        assertEquals(0, exit);
        Seen s = seen.get(0);
        assertEquals("PUT", s.method());
        assertEquals("/rollouts/ro-2/guardrails/review%20queue/capacity", s.path());
        assertEquals("Bearer t-1", s.authorization());
        assertEquals("{\"capacity\":1500.0,\"reason\":\"two more reviewers\",\"period\":\"day\"}", s.body());
        assertTrue(out.toString().contains("capacity 1800 per 1h"), out.toString());
    }

    @Test
    void aRefusalPrintsTheProblemAndItsField() {
        status = 400;
        answer = "{\"status\":400,\"detail\":\"period: 'fortnight' is not a period\",\"field\":\"period\"}";
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new VigilCli());
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args("--guardrail", "review-queue", "--capacity", "1500", "--period", "fortnight",
                "--reason", "x"));
        assertEquals(1, exit);
        assertTrue(err.toString().contains("400 period: 'fortnight' is not a period (field period)"), err.toString());
    }
}
