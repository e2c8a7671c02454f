package io.vigil.simulator.features;

import static io.vigil.riskmodel.catalog.PaymentFeature.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.simulator.auth.ServiceRefusedException;
import io.vigil.simulator.population.SimulatedPayment;

/**
 * Puts each payment's stored features into feature-service the way upstream producers do: over its REST batch API,
 * each group from the producer the feature contract names as its source (account-profile, txn-aggregator,
 * merchant-risk, device-intel), one call per producer for a block of payments, before those payments are scored.
 *
 * <p>Event time: feature-service judges freshness against its own wall clock and refuses event times in its future,
 * so updates carry the wall-clock time they are posted at. They are posted moments before the payments they belong
 * to are scored, so they are as fresh to the service as a real producer's; the payments themselves carry simulated
 * time. Only the values the population emits are sent: a defaulted field goes as the default (the upstream defect a
 * scenario injects), a missing one is left out.
 *
 * <p>Every call carries the producer's bearer token. A 401 or 403 is not a failed call like the others: the token is
 * wrong, so every later call would be refused too; it is kept as {@link #refusal()}, later blocks are not sent, and
 * the run stops before the payments of a refused block are scored.
 */
public final class FeatureSeeder {

    /** At most this many updates per call (feature-service's batch limit is larger). */
    static final int BATCH = 400;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI batchUri;
    private final String runId;
    private final String authorization;

    // Counts across the run, written under this object's lock and read at the end: updates applied; values flagged
    // (stored but marked, e.g. a sentinel) and rejected (quarantined) by feature-service; calls that failed outright.
    private volatile long applied;
    private volatile long flagged;
    private volatile long rejected;
    private volatile long failedCalls;
    // The first 401/403; set before seed() returns, so before the refused block is handed on.
    private volatile ServiceRefusedException refusal;

    /** @param authorization the {@code Authorization} header value (the producer's bearer token) */
    public FeatureSeeder(String featureServiceUrl, String runId, String authorization) {
        this.batchUri = URI.create(featureServiceUrl.replaceAll("/$", "") + "/features/batch");
        this.runId = runId;
        this.authorization = authorization;
    }

    /**
     * Posts the stored features of {@code payments}, the producers' batches side by side (each call's latency is
     * mostly feature-service's database commit, so one after another would cap the rate); returns when all are in.
     * Failures are counted, never thrown (the payment goes on, its features missing).
     */
    public void seed(List<SimulatedPayment> payments, Instant wallNow) {
        if (refusal != null) {
            return;
        }
        Map<String, List<ObjectNode>> byProducer = updates(payments, wallNow);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (Map.Entry<String, List<ObjectNode>> e : byProducer.entrySet()) {
            List<ObjectNode> all = e.getValue();
            for (int from = 0; from < all.size(); from += BATCH) {
                ObjectNode batch = json.createObjectNode().put("producer", e.getKey());
                batch.putArray("updates").addAll(all.subList(from, Math.min(all.size(), from + BATCH)));
                calls.add(post(batch));
            }
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).join();
    }

    /** The updates for {@code payments}, by producer (package-private for tests). */
    Map<String, List<ObjectNode>> updates(List<SimulatedPayment> payments, Instant wallNow) {
        Map<String, List<ObjectNode>> out = new LinkedHashMap<>();
        String time = wallNow.toString();
        for (SimulatedPayment p : payments) {
            float[] x = p.emitted();
            String account = p.accountId();

            ObjectNode profile = update(out, "account-profile", p, "account", account, time);
            ObjectNode f = profile.putObject("fields");
            number(f, x, ACCOUNT_AGE_DAYS);
            label(f, x, LOGIN_METHOD);
            label(f, x, CUSTOMER_AGE_BAND);
            label(f, x, COUNTRY);
            label(f, x, REGION);
            number(f, x, EMAIL_AGE_DAYS);
            bool(f, x, EMAIL_DOMAIN_FREE);
            bool(f, x, PASSWORD_RESET_7D);
            // Segment attributes come from the payment itself (the producer knows them even when the store lacks
            // the account's stored values).
            profile.putObject("attributes").put("country", p.country()).put("region", label(p.features(), REGION))
                    .put("customer_age_band", p.ageBand()).put("channel", p.channel())
                    .put("login_method", p.loginMethod());

            ObjectNode txn = update(out, "txn-aggregator", p, "account", account, time);
            ObjectNode t = txn.putObject("fields");
            number(t, x, TXN_COUNT_1H);
            number(t, x, TXN_COUNT_24H);
            decimal(t, x, AMOUNT_SUM_24H);
            number(t, x, PRIOR_CHARGEBACKS);
            number(t, x, DISTINCT_CARDS_24H);
            number(t, x, PRIOR_ORDERS);
            float ratio = x[AMOUNT_TO_AVG_RATIO.ordinal()];
            if (!Float.isNaN(ratio) && ratio > 0f) {
                // scoring derives amount_to_avg_ratio = amount / avg_order_amount
                t.put("avg_order_amount", Math.round(x[AMOUNT.ordinal()] / ratio * 100.0) / 100.0);
            }
            txn.putObject("attributes").put("country", p.country()).put("region", label(p.features(), REGION));

            ObjectNode merchant = update(out, "merchant-risk", p, "merchant", p.request().getMerchantId(), time);
            ObjectNode m = merchant.putObject("fields");
            label(m, x, MERCHANT_CATEGORY);
            if (!Float.isNaN(x[MERCHANT_FRAUD_RATE_90D.ordinal()])) {
                m.put("merchant_fraud_rate_90d", (double) x[MERCHANT_FRAUD_RATE_90D.ordinal()]);
            }

            // An unseen device (NaN) has no record in the store: nothing is sent for it.
            if (!p.request().getDeviceId().isEmpty() && !Float.isNaN(x[NEW_DEVICE.ordinal()])) {
                ObjectNode device = update(out, "device-intel", p, "device", p.request().getDeviceId(), time);
                // scoring derives new_device = device_age_days < 1
                device.putObject("fields").put("device_age_days",
                        x[NEW_DEVICE.ordinal()] == 1f ? 0 : 1 + Math.floorMod(p.row() * 31, 700));
            }
        }
        // A first-time or unseen account has nothing stored: an update without fields is not sent at all.
        out.values().forEach(list -> list.removeIf(u -> !u.has("fields") || u.get("fields").isEmpty()));
        out.values().removeIf(List::isEmpty);
        return out;
    }

    private ObjectNode update(Map<String, List<ObjectNode>> out, String producer, SimulatedPayment p, String type,
            String id, String time) {
        ObjectNode u = json.createObjectNode().put("event_id", "sim-" + runId + "-" + p.row() + "-" + producer)
                .put("event_time", time);
        u.putObject("entity").put("type", type).put("id", id);
        out.computeIfAbsent(producer, k -> new ArrayList<>()).add(u);
        return u;
    }

    private CompletableFuture<Void> post(ObjectNode batch) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(batchUri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(batch))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, failure) -> {
            synchronized (this) {
                if (failure == null && ServiceRefusedException.isAuthStatus(r.statusCode())) {
                    if (refusal == null) {
                        refusal = new ServiceRefusedException("feature-service", "POST /features/batch",
                                r.statusCode(), "producer");
                    }
                    return null;
                }
                if (failure != null || r.statusCode() != 200) {
                    failedCalls++;
                    return null;
                }
                try {
                    JsonNode body = json.readTree(r.body());
                    applied += body.path("applied").asLong();
                    flagged += body.path("flagged").asLong();
                    rejected += body.path("rejected").asLong();
                } catch (IOException e) {
                    failedCalls++;
                }
                return null;
            }
        });
    }

    /** The 401/403 that stopped seeding, or null. */
    public ServiceRefusedException refusal() {
        return refusal;
    }

    public long applied() {
        return applied;
    }

    public long flagged() {
        return flagged;
    }

    public long rejected() {
        return rejected;
    }

    public long failedCalls() {
        return failedCalls;
    }

    private static String label(float[] x, PaymentFeature f) {
        return f.definition().label(x[f.ordinal()]);
    }

    private static void label(ObjectNode o, float[] x, PaymentFeature f) {
        if (!Float.isNaN(x[f.ordinal()])) {
            o.put(f.featureName(), label(x, f));
        }
    }

    private static void number(ObjectNode o, float[] x, PaymentFeature f) {
        if (!Float.isNaN(x[f.ordinal()])) {
            o.put(f.featureName(), (long) x[f.ordinal()]);
        }
    }

    private static void decimal(ObjectNode o, float[] x, PaymentFeature f) {
        if (!Float.isNaN(x[f.ordinal()])) {
            o.put(f.featureName(), Math.round(x[f.ordinal()] * 100.0) / 100.0);
        }
    }

    private static void bool(ObjectNode o, float[] x, PaymentFeature f) {
        if (!Float.isNaN(x[f.ordinal()])) {
            o.put(f.featureName(), x[f.ordinal()] == 1f);
        }
    }

}
