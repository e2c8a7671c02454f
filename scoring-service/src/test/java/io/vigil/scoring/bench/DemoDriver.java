package io.vigil.scoring.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.vigil.contracts.scoring.v1.Channel;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;

/**
 * The demo's driver: loads synthetic stored features into feature-service over its REST batch API, drives Score
 * traffic at a steady rate against scoring-service, and prints what happened. Fixed seed: the same run every time.
 */
public final class DemoDriver {

    static final String[] BANDS = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
    static final String[] COUNTRIES = {"US", "CA", "GB", "DE", "FR", "BR", "MX", "IN", "JP", "AU"};
    static final String[] REGIONS = {"NA", "NA", "EU", "EU", "EU", "LATAM", "LATAM", "APAC", "APAC", "APAC"};
    static final String[] CATEGORIES = {"digital_goods", "electronics", "gift_cards", "gaming", "travel", "fashion",
            "home", "grocery", "services", "ticketing"};

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String scoring = opt.getOrDefault("scoring", "127.0.0.1:9081");
        String features = opt.getOrDefault("features", "http://127.0.0.1:8082");
        int accounts = Integer.parseInt(opt.getOrDefault("accounts", "500"));
        int calls = Integer.parseInt(opt.getOrDefault("calls", "3000"));
        int rps = Integer.parseInt(opt.getOrDefault("rps", "200"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "3000"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Bearer tokens (demo.sh mints them with ./bin/vigil token): feature pushes need producer, the policy operator.
        String producerToken = required("VIGIL_PRODUCER_TOKEN");
        String operatorToken = required("VIGIL_OPERATOR_TOKEN");

        System.out.printf("1/2 loading synthetic features for %d accounts into %s/features/batch%n", accounts, features);
        Map<String, Long> loaded = load(features, accounts, run, producerToken);
        System.out.println("    " + loaded);

        String scoringHttp = opt.getOrDefault("scoring-http", "http://127.0.0.1:8081");
        System.out.printf("    threshold policy demo-%s with cohorts CA-18-24 and app-social: %s%n", run,
                policy(scoringHttp, run, operatorToken));
        ManagedChannel channel = ManagedChannelBuilder.forTarget(scoring).usePlaintext().build();
        var stub = RiskScoringServiceGrpc.newFutureStub(channel);
        SplittableRandom random = new SplittableRandom(42);
        if (warmup > 0) {
            // Freshly started JVMs are still compiling: the first seconds show timeouts and fallbacks that say
            // nothing about the system at work. Drive them separately and say what they were.
            System.out.printf("    warming up: %d payments at %d per second (not in the summary)%n", warmup, rps);
            Map<String, LongAdder> warm = new ConcurrentHashMap<>();
            CountDownLatch warmDone = new CountDownLatch(warmup);
            long warmStart = System.nanoTime();
            for (int i = 0; i < warmup; i++) {
                pace(warmStart, i, rps);
                Futures.addCallback(stub.withDeadlineAfter(1, TimeUnit.SECONDS)
                        .score(payment(random, "warm-" + run + "-" + i, accounts, run)), new FutureCallback<>() {
                            @Override
                            public void onSuccess(ScoreResponse r) {
                                count(warm, r.getFallback() ? r.getFallbackCause().name().replace("FALLBACK_CAUSE_", "")
                                        : "decided by the model");
                                warmDone.countDown();
                            }

                            @Override
                            public void onFailure(Throwable t) {
                                count(warm, "ERROR " + io.grpc.Status.fromThrowable(t).getCode());
                                warmDone.countDown();
                            }
                        }, MoreExecutors.directExecutor());
            }
            warmDone.await(30, TimeUnit.SECONDS);
            Map<String, Long> seen = new TreeMap<>();
            warm.forEach((k, v) -> seen.put(k, v.sum()));
            System.out.println("    warm-up answers: " + seen);
        }
        System.out.printf("2/2 scoring %d payments at %d per second against %s%n", calls, rps, scoring);
        Recorder latency = new Recorder(3);
        Map<String, LongAdder> byDecision = new ConcurrentHashMap<>();
        Map<String, LongAdder> byCohort = new ConcurrentHashMap<>();
        Map<String, LongAdder> byCause = new ConcurrentHashMap<>();
        Map<String, LongAdder> issues = new ConcurrentHashMap<>();
        Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
        Map<String, LongAdder> errorSamples = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        CountDownLatch done = new CountDownLatch(calls);
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            pace(start, i, rps);
            ScoreRequest request = payment(random, "demo-" + run + "-" + i, accounts, run);
            long sent = System.nanoTime();
            Futures.addCallback(stub.withDeadlineAfter(1, TimeUnit.SECONDS).score(request), new FutureCallback<>() {
                @Override
                public void onSuccess(ScoreResponse r) {
                    latency.recordValue(System.nanoTime() - sent);
                    count(byDecision, r.getDecision().name().replace("DECISION_", ""));
                    count(byCohort, r.getCohort());
                    count(byCause, r.getFallback() ? r.getFallbackCause().name().replace("FALLBACK_CAUSE_", "") : "none");
                    r.getFeatureIssuesList().forEach(f -> count(issues, f.getFeature() + " " + f.getStatus()));
                    if (r.getReasonsCount() > 0) {
                        count(reasons, r.getReasons(0).getCode());
                    }
                    done.countDown();
                }

                @Override
                public void onFailure(Throwable t) {
                    errors.increment();
                    io.grpc.Status status = io.grpc.Status.fromThrowable(t);
                    count(byCause, "ERROR " + status.getCode());
                    count(errorSamples, status.getCode() + ": " + status.getDescription());
                    done.countDown();
                }
            }, MoreExecutors.directExecutor());
        }
        done.await(30, TimeUnit.SECONDS);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        var h = latency.getIntervalHistogram();
        System.out.println();
        System.out.printf("%-28s %s%n", "payments scored", h.getTotalCount() + " (errors: " + errors.sum() + ")");
        System.out.printf("%-28s p50 %.2f ms, p99 %.2f ms, max %.2f ms (client side)%n", "latency",
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
        table("decision", byDecision);
        table("cohort", byCohort);
        table("fallback cause", byCause);
        table("top reason (first)", reasons);
        table("feature issues", issues);
        if (!errorSamples.isEmpty()) {
            table("errors (status: description)", errorSamples);
        }
    }

    /** Waits until call {@code i} is due on a fixed schedule of {@code rps} calls a second from {@code start}. */
    static void pace(long start, int i, int rps) throws InterruptedException {
        long due = start + i * (1_000_000_000L / rps);
        while (System.nanoTime() < due) {
            Thread.sleep(0, 200_000);
        }
    }

    /** A checkout payment of one of the loaded accounts; one in twenty comes from an IP in another country. */
    static ScoreRequest payment(SplittableRandom random, String transactionId, int accounts, String run) {
        int a = random.nextInt(accounts);
        String account = "demo-" + run + "-acct-" + a;
        String country = COUNTRIES[a % COUNTRIES.length];
        String ip = random.nextInt(20) == 0 ? "RU" : country;
        long amount = 500 + (long) (Math.exp(random.nextDouble() * 8) * 100);
        return ScoreRequest.newBuilder().setTransactionId(transactionId)
                .setAccountId(account)
                .setAmount(Money.newBuilder().setAmountMinor(amount).setCurrency("USD"))
                .setMerchantId("demo-" + run + "-merchant-" + random.nextInt(20)).setMerchantCategoryCode("5732")
                .setChannel(random.nextInt(3) == 0 ? Channel.CHANNEL_APP : Channel.CHANNEL_WEB)
                .setCardBinCountry(country).setIpCountry(ip).setBillingCountry(country)
                .setDeviceId("demo-" + run + "-device-" + a).build();
    }

    static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    static void table(String title, Map<String, LongAdder> counts) {
        System.out.println();
        System.out.printf("%-28s %8s%n", title, "count");
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(10)
                .forEach(e -> System.out.printf("  %-26s %8d%n", e.getKey(), e.getValue()));
        if (sorted.isEmpty()) {
            System.out.println("  (none)");
        }
    }

    /**
     * Posts account, device and merchant features, each group from the producer the feature contract declares as its
     * source (a value from another producer would be flagged), in batches; returns the summed counts.
     */
    static Map<String, Long> load(String base, int accounts, String run, String token) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Long> totals = new TreeMap<>();
        String now = Instant.now().toString();
        Map<String, java.util.List<ObjectNode>> byProducer = new java.util.LinkedHashMap<>();
        int[] events = {0};
        java.util.function.BiFunction<String, String[], ObjectNode> update = (producer, entity) -> {
            ObjectNode u = json.createObjectNode().put("event_id", "demo-" + run + "-" + events[0]++)
                    .put("event_time", now);
            u.putObject("entity").put("type", entity[0]).put("id", entity[1]);
            byProducer.computeIfAbsent(producer, p -> new java.util.ArrayList<>()).add(u);
            return u;
        };
        for (int a = 0; a < accounts; a++) {
            String id = "demo-" + run + "-acct-" + a;
            String country = COUNTRIES[a % COUNTRIES.length];
            ObjectNode profile = update.apply("account-profile", new String[] {"account", id});
            ObjectNode f = profile.putObject("fields");
            // One account in 25 arrives with the "unknown" sentinel age: feature-service flags it DEFAULTED.
            f.put("account_age_days", a % 25 == 0 ? 0 : 1 + random.nextInt(3000));
            f.put("login_method", random.nextInt(4) == 0 ? "social" : "password");
            f.put("customer_age_band", BANDS[random.nextInt(BANDS.length)]);
            f.put("country", country);
            f.put("region", REGIONS[a % REGIONS.length]);
            f.put("email_age_days", 1 + random.nextInt(4000));
            f.put("email_domain_free", random.nextBoolean());
            f.put("password_reset_7d", random.nextInt(40) == 0);
            profile.putObject("attributes").put("country", country).put("region", REGIONS[a % REGIONS.length]);
            ObjectNode txn = update.apply("txn-aggregator", new String[] {"account", id});
            ObjectNode t = txn.putObject("fields");
            t.put("txn_count_1h", random.nextInt(4));
            t.put("txn_count_24h", random.nextInt(12));
            t.put("amount_sum_24h", Math.round(random.nextDouble() * 80_000) / 100.0);
            t.put("prior_chargebacks", random.nextInt(30) == 0 ? 1 + random.nextInt(3) : 0);
            t.put("distinct_cards_24h", 1 + (random.nextInt(10) == 0 ? random.nextInt(4) : 0));
            t.put("prior_orders", random.nextInt(80));
            t.put("avg_order_amount", 20 + Math.round(random.nextDouble() * 20_000) / 100.0);
            txn.putObject("attributes").put("country", country).put("region", REGIONS[a % REGIONS.length]);
            ObjectNode d = update.apply("device-intel", new String[] {"device", "demo-" + run + "-device-" + a});
            d.putObject("fields").put("device_age_days", random.nextInt(10) == 0 ? 0 : random.nextInt(700));
        }
        for (int m = 0; m < 20; m++) {
            ObjectNode u = update.apply("merchant-risk", new String[] {"merchant", "demo-" + run + "-merchant-" + m});
            u.putObject("fields").put("merchant_category", CATEGORIES[m % CATEGORIES.length])
                    .put("merchant_fraud_rate_90d", 0.001 * (1 + m % 7));
        }
        for (Map.Entry<String, java.util.List<ObjectNode>> e : byProducer.entrySet()) {
            java.util.List<ObjectNode> all = e.getValue();
            for (int from = 0; from < all.size(); from += 400) {
                ObjectNode batch = json.createObjectNode().put("producer", e.getKey());
                batch.putArray("updates").addAll(all.subList(from, Math.min(all.size(), from + 400)));
                post(http, json, base, batch, totals, token);
            }
        }
        return totals;
    }

    /** Creates and activates a policy with two cohorts beside the default, so the summary shows cohorts at work. */
    static String policy(String base, String run, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"version\": \"demo-" + run + "\", \"reason\": \"vigil demo\", \"rules\": ["
                + "{\"name\": \"default\", \"step_up\": 0.10, \"review\": 0.30, \"decline\": 0.60},"
                + "{\"name\": \"CA-18-24\", \"country\": \"CA\", \"age_band\": \"18-24\", \"step_up\": 0.05, "
                + "\"review\": 0.20, \"decline\": 0.50},"
                + "{\"name\": \"app-social\", \"channel\": \"app\", \"login_method\": \"social\", \"step_up\": 0.08, "
                + "\"review\": 0.25, \"decline\": 0.55}]}";
        for (String[] step : new String[][] {{"/policies", body},
                {"/policies/demo-" + run + "/activate", "{\"reason\": \"vigil demo\"}"}}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + step[0]))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(step[1])).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                return "refused: HTTP " + r.statusCode() + " " + r.body();
            }
        }
        return "active";
    }

    static void post(HttpClient http, ObjectMapper json, String base, ObjectNode batch, Map<String, Long> totals,
            String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/features/batch"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(batch))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("feature-service refused a batch: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        JsonNode r = json.readTree(response.body());
        for (String k : new String[] {"applied", "accepted", "flagged", "rejected"}) {
            totals.merge(k, r.path(k).asLong(), Long::sum);
        }
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(variable + " must hold a bearer token (./bin/vigil demo sets it)");
        }
        return value;
    }

    private DemoDriver() {
    }
}
