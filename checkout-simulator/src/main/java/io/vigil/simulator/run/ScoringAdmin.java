package io.vigil.simulator.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vigil.simulator.auth.ServiceRefusedException;
import io.vigil.simulator.scenario.World;

/**
 * The scenario's operator actions on scoring-service, over its REST API as an operator would: register a challenger
 * model (when the scenario names a path and the version is unknown) and set its share. Every call carries the
 * operator's bearer token; scoring records the token's subject as the actor.
 */
final class ScoringAdmin {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final String authorization;

    /** @param authorization the {@code Authorization} header value (the operator's bearer token) */
    ScoringAdmin(String scoringHttpUrl, String authorization) {
        this.base = scoringHttpUrl.replaceAll("/$", "");
        this.authorization = authorization;
    }

    /**
     * Sets the challenger; returns what scoring answered, for the truth file and the summary.
     *
     * @throws ServiceRefusedException when scoring answers 401 or 403 (the token, not the scenario, is wrong)
     */
    String challenger(World.Challenger c) {
        try {
            if (c.registerPath() != null) {
                String path = "/models/" + c.model();
                HttpResponse<String> known = send("GET " + path, HttpRequest.newBuilder(URI.create(base + path)).GET());
                if (known.statusCode() == 404) {
                    HttpResponse<String> r = send("POST /models", post("/models", "{\"version\": \"" + c.model()
                            + "\", \"path\": \"" + c.registerPath() + "\"}"));
                    if (r.statusCode() / 100 != 2) {
                        return "register refused: HTTP " + r.statusCode() + " " + r.body();
                    }
                }
            }
            String path = "/models/" + c.model() + "/activate";
            HttpResponse<String> r = send("POST " + path, post(path,
                    "{\"role\": \"CHALLENGER\", \"share\": " + c.share()
                            + ", \"reason\": \"checkout-simulator scenario: challenger at this share\"}"));
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

    private HttpResponse<String> send(String call, HttpRequest.Builder request) throws IOException,
            InterruptedException {
        HttpResponse<String> r = http.send(request.header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (ServiceRefusedException.isAuthStatus(r.statusCode())) {
            throw new ServiceRefusedException("scoring-service", call, r.statusCode(), "operator");
        }
        return r;
    }
}
