package io.vigil.scoring.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The feature-service circuit breaker's state changes as scoring-service counts them
 * ({@code vigil_scoring_feature_breaker_transitions_total} on /q/metrics), read before and after a phase: a breaker
 * that flaps under steady load is a finding even when the latency looks fine.
 */
final class BreakerTransitions {

    private static final Pattern LINE = Pattern.compile(
            "^vigil_scoring_feature_breaker_transitions_total\\{[^}]*state=\"([A-Z_]+)\"[^}]*}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    BreakerTransitions(URI metrics) {
        this.metrics = metrics;
    }

    /** Transitions so far by new state; null when the metrics could not be read (the report says so). */
    Map<String, Long> snapshot() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    static Map<String, Long> parse(String prometheusText) {
        Map<String, Long> byState = new TreeMap<>();
        Matcher m = LINE.matcher(prometheusText);
        while (m.find()) {
            byState.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return byState;
    }

    static String between(Map<String, Long> before, Map<String, Long> after) {
        if (before == null || after == null) {
            return "feature breaker transitions: unknown (scoring-service's /q/metrics not readable)";
        }
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((state, n) -> {
            long d = n - before.getOrDefault(state, 0L);
            if (d != 0) {
                delta.put(state, d);
            }
        });
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        return "feature breaker transitions: " + total + (delta.isEmpty() ? "" : " " + delta);
    }
}
