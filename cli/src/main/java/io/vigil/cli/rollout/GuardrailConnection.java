package io.vigil.cli.rollout;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import io.vigil.cli.token.SigningKeys;
import io.vigil.cli.token.Tokens;
import picocli.CommandLine.Option;

/**
 * Where guardrail-service is and who is asking: {@code --url} / VIGIL_GUARDRAIL_URL, and the bearer token from
 * {@code --token} / VIGIL_TOKEN, else {@code .vigil/token}, else one minted for the local stack from
 * {@code .vigil/keys} (operator, subject = the OS user, one hour) so {@code ./bin/vigil rollout ...} just works there.
 */
public final class GuardrailConnection {

    @Option(names = "--url", defaultValue = "${env:VIGIL_GUARDRAIL_URL:-http://127.0.0.1:8083}",
            description = "guardrail-service's base URL; default ${DEFAULT-VALUE}")
    String url;

    @Option(names = "--token", defaultValue = "${env:VIGIL_TOKEN}",
            description = "bearer token (default: VIGIL_TOKEN, .vigil/token, or one minted from .vigil/keys)")
    String token;

    @Option(names = "--vigil-dir", defaultValue = "${env:VIGIL_DIR:-.vigil}", hidden = true)
    Path vigilDir;

    @Option(names = "--issuer", defaultValue = "${env:VIGIL_JWT_ISSUER:-vigil-local}", hidden = true)
    String issuer;

    @Option(names = "--output", defaultValue = "table", description = "table (for people) or json (for scripts)")
    String output;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer: status and body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public boolean json() {
        return "json".equalsIgnoreCase(output);
    }

    /**
     * A refused answer, as every guardrail command reports it: the body on stdout for {@code --output json}, and
     * "COMMAND: status detail (field F)" from the problem body on stderr. Returns the exit code, 1.
     */
    public int refused(Answer a, String command, PrintWriter out, PrintWriter err) {
        if (json()) {
            out.println(a.body());
            out.flush();
        }
        try (JsonReader r = Json.createReader(new StringReader(a.body()))) {
            JsonObject p = r.readObject();
            err.println(command + ": " + a.status() + " " + RolloutCommand.text(p, "detail")
                    + (p.containsKey("field") ? " (field " + RolloutCommand.text(p, "field") + ")" : ""));
        } catch (RuntimeException notJson) {
            err.println(command + ": " + a.status() + " " + a.body());
        }
        err.flush();
        return 1;
    }

    public String baseUrl() {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    public Answer post(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer put(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.header("Authorization", "Bearer " + bearer())
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private String bearer() throws IOException {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path stored = vigilDir.resolve("token");
        if (Files.isRegularFile(stored)) {
            return Files.readString(stored).strip();
        }
        Path key = vigilDir.resolve("keys").resolve(SigningKeys.PRIVATE_KEY);
        if (Files.isRegularFile(key)) {
            try {
                return Tokens.sign(SigningKeys.readPrivateKey(key), issuer, "operator",
                        System.getProperty("user.name", "operator"), Duration.ofHours(1), Instant.now());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot read the signing key " + key + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("no token: set VIGIL_TOKEN (e.g. $(./bin/vigil token --role operator --sub you)), "
                + "write .vigil/token, or run ./bin/vigil up for the local keys");
    }
}
