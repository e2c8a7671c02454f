package io.vigil.simulator.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vigil.simulator.scenario.World;

/**
 * The scenario's operator actions on scoring-service, over its REST API as an operator would: register a challenger
 * model (when the scenario names a path and the version is unknown) and set its share. Every call names its actor
 * through {@link #actor()}, the one place to switch to a bearer token once REST is authenticated.
 */
final class ScoringAdmin {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    ScoringAdmin(String scoringHttpUrl) {
        this.base = scoringHttpUrl.replaceAll("/$", "");
    }

    static String actor() {
        return "checkout-simulator";
    }

    /** Sets the challenger; returns what scoring answered, for the truth file and the summary. */
    String challenger(World.Challenger c) {
        try {
            if (c.registerPath() != null) {
                HttpResponse<String> known = send(HttpRequest.newBuilder(URI.create(base + "/models/" + c.model())).GET());
                if (known.statusCode() == 404) {
                    HttpResponse<String> r = send(post("/models", "{\"version\": \"" + c.model() + "\", \"path\": \""
                            + c.registerPath() + "\"}"));
                    if (r.statusCode() / 100 != 2) {
                        return "register refused: HTTP " + r.statusCode() + " " + r.body();
                    }
                }
            }
            HttpResponse<String> r = send(post("/models/" + c.model() + "/activate",
                    "{\"role\": \"CHALLENGER\", \"share\": " + c.share() + "}"));
            return r.statusCode() / 100 == 2 ? "ok" : "activate refused: HTTP " + r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "scoring-service unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("X-Vigil-Actor", actor()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
