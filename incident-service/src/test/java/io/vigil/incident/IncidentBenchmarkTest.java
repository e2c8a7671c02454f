package io.vigil.incident;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.EventTopics;
import io.vigil.eventing.ProtoTime;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/**
 * Figures, printed, never asserted (run with -Dvigil.bench=true): the incidents API's latency under 100 concurrent
 * viewers, and how long a verdict takes from Kafka to an incident a viewer can read.
 */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
@EnabledIfSystemProperty(named = "vigil.bench", matches = "true")
class IncidentBenchmarkTest {

    static final String VIEWER = TestTokens.bearer("viewer", "bench");

    static String pct(List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return String.format(Locale.ROOT, "n=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms", s.size(),
                at(s, 0.50), at(s, 0.90), at(s, 0.99), s.get(s.size() - 1) / 1e6);
    }

    static double at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    @Test
    void printFigures() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String base = "http://127.0.0.1:" + port;
        // 50 incidents with a few timeline entries each
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            String id = given().header("Authorization", TestTokens.bearer("operator", "bench")).contentType("application/json")
                    .body(Map.of("title", "bench " + k, "severity", "SEV3", "components", List.of("checkout-risk-scoring"),
                            "occurred_at", "2026-11-20T10:00:00Z"))
                    .post("/incidents").then().statusCode(201).extract().path("id");
            for (int n = 0; n < 5; n++) {
                given().header("Authorization", TestTokens.bearer("operator", "bench")).contentType("application/json")
                        .body(Map.of("text", "note " + n)).post("/incidents/" + id + "/notes").then().statusCode(201);
            }
            ids.add(id);
        }

        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        int viewers = 100;
        int requestsEach = 40;
        ExecutorService pool = Executors.newFixedThreadPool(viewers);
        List<Future<List<Long>>> futures = new ArrayList<>();
        long wallStart = System.nanoTime();
        for (int v = 0; v < viewers; v++) {
            int viewer = v;
            futures.add(pool.submit(() -> {
                List<Long> lat = new ArrayList<>();
                for (int r = 0; r < requestsEach; r++) {
                    String path = switch (r % 3) {
                        case 0 -> "/incidents?open=true";
                        case 1 -> "/incidents/" + ids.get((viewer + r) % ids.size());
                        default -> "/incidents/" + ids.get((viewer * 7 + r) % ids.size()) + "/timeline";
                    };
                    long t0 = System.nanoTime();
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + path))
                            .header("Authorization", VIEWER).build(), HttpResponse.BodyHandlers.ofString());
                    lat.add(System.nanoTime() - t0);
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException(path + " -> " + resp.statusCode());
                    }
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - wallStart) / 1e9;
        pool.shutdown();
        System.out.printf(Locale.ROOT, "BENCH incidents API, %d concurrent viewers (list open / get / timeline over 50 "
                + "incidents): %s, %.0f req/s%n", viewers, pct(all), all.size() / seconds);

        // verdict-to-incident: a monitor alarm on a fresh cohort, until GET /incidents shows it
        List<Long> toIncident = new ArrayList<>();
        try (EventSender sender = new EventSender()) {
            for (int k = 0; k < 30; k++) {
                String cohort = "country=BN & age=" + k;
                VerdictIssued v = VerdictIssued.newBuilder().setVerdictId("bench-" + k)
                        .setKind(VerdictKind.VERDICT_KIND_MONITOR_ALARM).setMonitorId("bench-" + k)
                        .setEvaluatedAt(ProtoTime.of(Instant.parse("2026-11-21T10:00:00Z"))).setReason("bench")
                        .addEvidence(GuardrailEvidence.newBuilder().setMetric("BENCH_RATE").setCohort(cohort)
                                .setJudgement(Judgement.JUDGEMENT_HARMFUL).setHarmLower(0.01).setHarmUpper(0.02)
                                .setTreatmentExposure(1000))
                        .build();
                long t0 = System.nanoTime();
                sender.send(EventTopics.VERDICTS, "bench-" + k, "guardrail-service", v, Instant.parse("2026-11-21T10:00:00Z"));
                Await.until("bench incident " + k, () -> {
                    HttpResponse<String> r;
                    try {
                        r = http.send(HttpRequest.newBuilder(URI.create(base + "/incidents?open=true"))
                                .header("Authorization", VIEWER).build(), HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return r.body().contains(cohort + "\"") ? true : null;
                }, 5);
                toIncident.add(System.nanoTime() - t0);
            }
        }
        System.out.printf(Locale.ROOT, "BENCH verdict-to-incident (publish until a viewer reads it; REST polled every "
                + "5 ms): %s%n", pct(toIncident));
    }
}
