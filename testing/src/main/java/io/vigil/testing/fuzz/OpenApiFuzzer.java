package io.vigil.testing.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hostile requests for every operation a running service's own OpenAPI document ({@code /q/openapi}) lists:
 * control characters, NUL bytes, traversal and injection strings, huge and odd values in every path and query
 * parameter; malformed, deeply nested, huge and wrongly typed bodies (every property of the body's schema given
 * values of the wrong type), wrong content types. Deterministic for a seed. The report lists every answer that was
 * a 5xx or no answer at all; a service that validates its input has none.
 */
public final class OpenApiFuzzer {

    /** A request that got a 5xx (or no HTTP answer: status -1). */
    public record Finding(String method, String uri, String body, int status, String response) {
        @Override
        public String toString() {
            return method + " " + shorten(uri) + (body == null ? "" : " body " + shorten(body)) + " -> " + status + " "
                    + shorten(response);
        }
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " chars)" : s;
    }

    /** Requests sent, answers counted by status, the operations covered and every finding. */
    public record Report(int requests, Map<Integer, Integer> byStatus, List<String> operations, List<Finding> findings) {
    }

    private static final String[] HOSTILE = {"\u0000", "a\u0000b", "\n", "x\r\ny", "\u007f", "\u001b[31m",
        "../../etc/passwd", "..", ".", "a/../../b", "/", "\\", "..\\..\\windows", "%00", "%2e%2e", "' OR '1'='1",
        "\"; DROP TABLE decision; --", "${jndi:ldap://x}", "😀", "\uFEFF", "\uD800", "-1", "0", "1e309", "NaN",
        "-9223372036854775809", "true", "{}", "[]", "null", " ", "\t", "é"};
    /** Refusals of the request line or headers: URI too long, header fields too large. */
    private static final Set<Integer> REFUSED_BEFORE_BODY = Set.of(414, 431);
    private static final ObjectMapper JSON = new ObjectMapper();

    // HTTP/1.1: the JDK client's h2c upgrade turns an oversized request line into a GOAWAY instead of the 414 or 431
    // a client would see.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Random random;
    private final int variants;
    private final String authorization;

    /**
     * @param variants hostile requests per operation (bodies and parameters cycle through their cases)
     */
    public OpenApiFuzzer(String baseUrl, long seed, int variants) {
        this(baseUrl, seed, variants, null);
    }

    /**
     * @param authorization an {@code Authorization} header value sent with every request (null: none), so that the
     *        hostile input reaches the resources behind authentication instead of stopping at 401
     */
    public OpenApiFuzzer(String baseUrl, long seed, int variants, String authorization) {
        this.baseUrl = baseUrl;
        this.random = new Random(seed);
        this.variants = variants;
        this.authorization = authorization;
    }

    public Report run() throws IOException, InterruptedException {
        JsonNode doc = JSON.readTree(get("/q/openapi?format=json"));
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> operations = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        int requests = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                operations.add(method + " " + path.getKey());
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                op.getValue().path("parameters").forEach(parameters::add);
                JsonNode content = op.getValue().path("requestBody").path("content");
                for (int i = 0; i < variants; i++) {
                    String uri = uri(path.getKey(), parameters, i);
                    String mediaType = content.isObject() && content.fieldNames().hasNext()
                            ? content.fieldNames().next() : null;
                    byte[] body = mediaType == null ? null : body(doc, content.path(mediaType), mediaType, i);
                    if (mediaType != null && i % 17 == 16) {
                        mediaType = "text/plain";
                    }
                    Finding f = send(method, uri, mediaType, body);
                    requests++;
                    byStatus.merge(f.status(), 1, Integer::sum);
                    if (f.status() >= 500 || f.status() < 0) {
                        findings.add(f);
                    }
                }
            }
        }
        return new Report(requests, byStatus, operations, findings);
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The path with every template filled, plus every query parameter: hostile, random or plausible. */
    private String uri(String template, List<JsonNode> parameters, int i) {
        String path = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode p : parameters) {
            String name = p.path("name").asText();
            String value = value(i);
            if ("path".equals(p.path("in").asText())) {
                path = path.replace("{" + name + "}", encode(value.isEmpty() ? "x" : value));
            } else if ("query".equals(p.path("in").asText())) {
                query.append(query.length() == 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value));
            }
        }
        // Templates the document did not declare as parameters still get a value.
        path = path.replaceAll("\\{[^}]*}", encode(value(i + 1)));
        return path + query;
    }

    private String value(int i) {
        return switch (i % 4) {
            case 0, 1 -> HOSTILE[(i / 2) % HOSTILE.length];
            case 2 -> randomString(1 + random.nextInt(i % 8 == 2 ? 5000 : 40));
            default -> "v" + i;
        };
    }

    private String randomString(int length) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0x2000);
                default -> 0x1F600 + random.nextInt(0x50);
            };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private byte[] body(JsonNode doc, JsonNode media, String mediaType, int i) {
        if (!mediaType.contains("json")) {
            byte[] bytes = new byte[i % 5 == 0 ? 0 : random.nextInt(i % 3 == 0 ? 200_000 : 300)];
            random.nextBytes(bytes);
            return bytes;
        }
        String text = switch (i % 10) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[" .repeat(20_000) + "]".repeat(20_000);
            case 3 -> "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
            case 4 -> "null";
            case 5 -> "\"" + "x".repeat(1_000_000) + "\"";
            case 6 -> "{\"x\": \"\\u0000\"}";
            default -> wrongTypes(doc, media.path("schema"));
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An object with every property of the schema, each given a value of a random (mostly wrong) type. */
    private String wrongTypes(JsonNode doc, JsonNode schema) {
        JsonNode resolved = resolve(doc, schema);
        var object = JSON.createObjectNode();
        for (Iterator<String> names = resolved.path("properties").fieldNames(); names.hasNext();) {
            String name = names.next();
            switch (random.nextInt(8)) {
                case 0 -> object.put(name, HOSTILE[random.nextInt(HOSTILE.length)]);
                case 1 -> object.put(name, random.nextBoolean() ? Double.MAX_VALUE : -random.nextDouble() * 1e12);
                case 2 -> object.put(name, random.nextLong());
                case 3 -> object.putArray(name).add(randomString(10)).add(1).addNull();
                case 4 -> object.putObject(name).put("nested", randomString(5));
                case 5 -> object.putNull(name);
                case 6 -> object.put(name, random.nextBoolean());
                default -> object.put(name, randomString(1 + random.nextInt(300)));
            }
        }
        return object.toString();
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/")) {
            JsonNode at = doc;
            for (String part : ref.substring(2).split("/")) {
                at = at.path(part);
            }
            return at;
        }
        return schema;
    }

    private Finding send(String method, String uri, String mediaType, byte[] body) throws InterruptedException {
        String sample = body == null ? null : new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(baseUrl + uri)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException notAUri) {
            return new Finding(method, uri, sample, 400, "not sendable: " + notAUri.getMessage());
        }
        if (mediaType != null) {
            b.header("Content-Type", mediaType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpRequest request = b.build();
        IOException failure = null;
        // Twice at most: after answering a request it refuses outright (414, 413) the server closes the connection,
        // and the client's next request on that kept-alive connection finds it closed, as any client's may.
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                String text = r.body() == null ? "" : r.body();
                return new Finding(method, uri, sample, r.statusCode(), text.substring(0, Math.min(text.length(), 300)));
            } catch (IOException e) {
                failure = e;
            }
        }
        if (body != null && body.length > 0) {
            // A server refusing the request line or headers (414, 431) answers before reading the body and closes;
            // when that close meets the body the client is still sending, TCP resets the connection and the answer
            // is lost before the client reads it (seen in CI on a 9 KB URI with a 40 KB body). The same request
            // without its body shows what the server answered; only such a refusal clears the failure.
            Finding bare = send(method, uri, mediaType, null);
            if (REFUSED_BEFORE_BODY.contains(bare.status())) {
                return new Finding(method, uri, sample, bare.status(), "answer lost to a reset while the body was "
                        + "still being sent; without the body: " + bare.response());
            }
        }
        return new Finding(method, uri, sample, -1, failure.toString());
    }
}
