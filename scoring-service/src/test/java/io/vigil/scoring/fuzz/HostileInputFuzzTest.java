package io.vigil.scoring.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.contracts.scoring.v1.Money;
import io.vigil.contracts.scoring.v1.RiskScoringServiceGrpc;
import io.vigil.contracts.scoring.v1.ScoreRequest;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.testing.foundation.ServiceFoundationTests;
import io.vigil.testing.fuzz.OpenApiFuzzer;
import io.vigil.testing.security.TestTokens;

/**
 * Issue 15, point 7: hostile input against every REST operation the service documents and against Score, with fixed
 * seeds so a failure replays. No request may end in a 5xx, no call in INTERNAL or UNKNOWN.
 */
@QuarkusTest
class HostileInputFuzzTest {

    private static final Set<Status.Code> EXPECTED = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.ALREADY_EXISTS);
    private static final String[] STRINGS = {"", "\u0000", "tx\u0000", "a".repeat(100_000), "😀", "\uFEFF", "../..",
        "' OR 1=1 --", "US", "CA", "usd", "USD", "JPY", "5732", "0000", "99999", "\n", "ZZ", "EU-WEST"};

    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", ServiceFoundationTests.grpcTestPort()).usePlaintext()
                .maxInboundMessageSize(1 << 20).build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEveryHostileRestRequestWithoutA5xx() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // As an admin (who holds every operator and viewer right), so hostile input reaches the resources.
        OpenApiFuzzer.Report report = new OpenApiFuzzer("http://127.0.0.1:" + port, 15, 60,
                TestTokens.bearer("admin", "fuzzer")).run();

        System.out.printf("REST fuzz: %d requests over %d operations %s, by status %s%n", report.requests(),
                report.operations().size(), report.operations(), report.byStatus());
        assertTrue(report.operations().containsAll(List.of("GET /models/{version}", "GET /policies/{version}",
                "POST /models/{version}/upload", "POST /models/{version}/activate", "POST /policies")),
                report.operations().toString());
        assertEquals(List.of(), report.findings());
    }

    @Test
    void shouldAnswerEveryRandomOrMutatedScoreRequestWithADecisionOrAPreciseStatus() {
        Random random = new Random(15);
        ScoreRequest valid = ScoreRequest.newBuilder().setTransactionId("tx-fuzz-valid").setAccountId("acct-fuzz")
                .setAmount(Money.newBuilder().setAmountMinor(12_00).setCurrency("USD")).setMerchantId("m-1")
                .setMerchantCategoryCode("5732").setChannelValue(1).setCardBinCountry("US").setIpCountry("US")
                .setBillingCountry("US").build();
        byte[] validBytes = valid.toByteArray();
        Map<Status.Code, Integer> byCode = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < 2_000; i++) {
            ScoreRequest r = i % 2 == 0 ? randomRequest(random, i) : mutated(validBytes, random, i);
            if (r == null) {
                continue;
            }
            sent++;
            Status.Code code;
            try {
                ScoreResponse answer = RiskScoringServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS).score(r);
                code = Status.Code.OK;
                assertNotEquals(Decision.DECISION_UNSPECIFIED, answer.getDecision(), answer.toString());
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
                if (!EXPECTED.contains(code)) {
                    unexpected.add(code + " " + e.getStatus().getDescription() + " for " + shorten(r));
                }
            }
            byCode.merge(code, 1, Integer::sum);
        }
        System.out.printf("gRPC fuzz: %d ScoreRequests, by status %s%n", sent, byCode);
        assertTrue(sent > 1_200, "the random half and a third of the mutations (which still parse) are sent: " + sent);
        assertTrue(byCode.getOrDefault(Status.Code.OK, 0) > 0 && byCode.getOrDefault(Status.Code.INVALID_ARGUMENT, 0) > 0,
                "the fuzz reaches both the decision path and validation: " + byCode);
        assertEquals(List.of(), unexpected);
    }

    private static String string(Random random) {
        if (random.nextInt(3) == 0) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                b.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x20) : 0x20 + random.nextInt(0x3000));
            }
            return b.toString();
        }
        return STRINGS[random.nextInt(STRINGS.length)];
    }

    private static ScoreRequest randomRequest(Random random, int i) {
        ScoreRequest.Builder b = ScoreRequest.newBuilder();
        b.setTransactionId(random.nextInt(10) == 0 ? string(random) : "tx-fuzz-" + i);
        b.setAccountId(random.nextInt(10) == 0 ? string(random) : "acct-fuzz-" + random.nextInt(50));
        if (random.nextInt(10) > 0) {
            long[] amounts = {0, -1, 1, 12_00, 10_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong()};
            b.setAmount(Money.newBuilder().setAmountMinor(amounts[random.nextInt(amounts.length)])
                    .setCurrency(random.nextInt(3) == 0 ? string(random) : "USD"));
        }
        b.setMerchantId(string(random));
        b.setMerchantCategoryCode(random.nextInt(3) == 0 ? string(random) : "5732");
        b.setChannelValue(random.nextInt(3) == 0 ? random.nextInt() : 1 + random.nextInt(3));
        b.setCardBinCountry(random.nextInt(3) == 0 ? string(random) : "US");
        b.setIpCountry(random.nextInt(3) == 0 ? string(random) : "US");
        b.setBillingCountry(random.nextInt(3) == 0 ? string(random) : "US");
        if (random.nextBoolean()) {
            b.setBillingRegion(string(random));
        }
        b.setDeviceId(string(random));
        if (random.nextBoolean()) {
            b.setCreatedAt(Timestamp.newBuilder().setSeconds(random.nextLong()).setNanos(random.nextInt()));
        }
        b.setAvsResultValue(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(4));
        b.setCvvResultValue(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(4));
        if (random.nextBoolean()) {
            double[] km = {-1, 0, 12.5, Double.NaN, Double.POSITIVE_INFINITY, 1e300};
            b.setShippingBillingDistanceKm(km[random.nextInt(km.length)]);
        }
        if (random.nextBoolean()) {
            b.setPrepaidCard(random.nextBoolean()).setProxyIp(random.nextBoolean());
        }
        return b.build();
    }

    /** A valid request with bytes flipped, cut or inserted; null when the result is no longer a ScoreRequest. */
    private static ScoreRequest mutated(byte[] valid, Random random, int i) {
        byte[] bytes = valid.clone();
        int flips = 1 + random.nextInt(4);
        for (int k = 0; k < flips; k++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        if (random.nextInt(4) == 0) {
            bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        try {
            ScoreRequest r = ScoreRequest.parseFrom(bytes);
            // Distinct ids, so a mutation is decided rather than refused as a reused id.
            return r.getTransactionId().startsWith("tx-fuzz-valid") ? r.toBuilder().setTransactionId("tx-fuzz-m" + i)
                    .build() : r;
        } catch (InvalidProtocolBufferException notAMessage) {
            return null;
        }
    }

    private static String shorten(ScoreRequest r) {
        String s = r.toString().replace('\n', ' ');
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
