package io.vigil.cli.incident;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/** incident-service's REST API over HTTP with a bearer token; a refusal becomes an {@link Refused} with its detail. */
final class IncidentClient {

    /** The service refused (4xx/5xx): status and the problem body's detail and field. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    IncidentClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    JsonStructure get(String path) throws IOException, InterruptedException, Refused {
        return send("GET", path, null);
    }

    JsonStructure post(String path, JsonObject body) throws IOException, InterruptedException, Refused {
        return send("POST", path, body);
    }

    JsonStructure put(String path, JsonObject body) throws IOException, InterruptedException, Refused {
        return send("PUT", path, body);
    }

    JsonStructure patch(String path, JsonObject body) throws IOException, InterruptedException, Refused {
        return send("PATCH", path, body);
    }

    private JsonStructure send(String method, String path, JsonObject body)
            throws IOException, InterruptedException, Refused {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new Refused(r.statusCode(), describe(r));
        }
        if (r.body() == null || r.body().isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        return Json.createReader(new StringReader(r.body())).read();
    }

    private static String describe(HttpResponse<String> r) {
        try {
            JsonObject p = Json.createReader(new StringReader(r.body())).readObject();
            String detail = p.getString("detail", p.getString("title", ""));
            String field = p.containsKey("field") && !p.isNull("field") ? " (field " + p.getString("field") + ")" : "";
            return r.statusCode() + " " + detail + field;
        } catch (RuntimeException notJson) {
            return r.statusCode() + (r.body() == null || r.body().isBlank() ? "" : " " + r.body());
        }
    }
}
