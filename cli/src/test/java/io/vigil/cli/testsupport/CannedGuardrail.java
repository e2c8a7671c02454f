package io.vigil.cli.testsupport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import io.vigil.cli.VigilCli;
import picocli.CommandLine;

/**
 * A real HTTP server on a free loopback port standing in for guardrail-service: it answers every request with the
 * status and body a test sets (problem+json for 4xx/5xx) and records what it was asked, and runs {@code vigil ...}
 * against itself with {@code --url} and a bearer token appended.
 */
public final class CannedGuardrail implements AutoCloseable {

    /** What one request asked: its path and query as sent (still percent-encoded) and its Authorization header. */
    public record Request(String rawTarget, String authorization) {
        public String decodedTarget() {
            return URLDecoder.decode(rawTarget, StandardCharsets.UTF_8);
        }
    }

    /** One run of the CLI: exit code and what it printed. */
    public record Run(int exit, String out, String err) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile int status = 200;
    private volatile String answer;
    private boolean closed;

    public CannedGuardrail(String answer) throws IOException {
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            synchronized (requests) {
                requests.add(new Request(exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                        exchange.getRequestHeaders().getFirst("Authorization")));
            }
            byte[] bytes = this.answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json"
                    : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    public void answer(int status, String body) {
        this.status = status;
        this.answer = body;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Runs {@code vigil args... --url <this server> --token token}. */
    public Run run(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + port(), "--token", token));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new VigilCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Stops the server; again is harmless (a test that closes it early to see the CLI fail to connect). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
        }
    }
}
