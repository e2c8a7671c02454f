package io.vigil.features.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.FeatureStoreServiceGrpc;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.testing.fuzz.OpenApiFuzzer;
import io.vigil.testing.security.TestTokens;

/**
 * Issue 15, point 7: hostile input against every REST operation feature-service documents and against GetFeatures,
 * with fixed seeds so a failure replays. No request may end in a 5xx, no call in INTERNAL, UNKNOWN or UNAVAILABLE
 * (the store is up: a refusal must say what was wrong with the request).
 */
@QuarkusTest
class HostileInputFuzzTest {

    private static final Set<Status.Code> EXPECTED = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT);
    private static final String[] STRINGS = {"", "\u0000", "acct\u0000", "a".repeat(100_000), "😀", "\uFEFF", "../..",
        "' OR 1=1 --", "checkout-features@1", "checkout-features@999", "@", "x@y@z", "account_age_days", "\n"};

    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEveryHostileRestRequestWithoutA5xx() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // As an admin and as a producer (admin holds no producer right), so hostile input reaches every resource.
        for (String role : List.of("admin", "producer")) {
            OpenApiFuzzer.Report report = new OpenApiFuzzer("http://127.0.0.1:" + port, 15, 60,
                    TestTokens.bearer(role, "fuzzer")).run();

            System.out.printf("REST fuzz as %s: %d requests over %d operations %s, by status %s%n", role,
                    report.requests(), report.operations().size(), report.operations(), report.byStatus());
            assertTrue(report.operations().size() >= 5, report.operations().toString());
            assertEquals(List.of(), report.findings());
        }
    }

    @Test
    void shouldAnswerEveryRandomGetFeaturesRequestWithFeaturesOrAPreciseStatus() {
        Random random = new Random(15);
        Map<Status.Code, Integer> byCode = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            GetFeaturesRequest.Builder b = GetFeaturesRequest.newBuilder();
            int entities = random.nextInt(6);
            for (int k = 0; k < entities; k++) {
                b.addEntities(EntityKey.newBuilder().setTypeValue(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(5))
                        .setId(random.nextInt(3) == 0 ? string(random) : "acct-" + random.nextInt(100)));
            }
            int names = random.nextInt(3) == 0 ? random.nextInt(5) : 0;
            for (int k = 0; k < names; k++) {
                b.addFeatureNames(string(random));
            }
            b.setFeatureSetVersion(random.nextInt(4) == 0 ? string(random) : "checkout-features@1");
            Status.Code code;
            try {
                FeatureStoreServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getFeatures(b.build());
                code = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
                if (!EXPECTED.contains(code)) {
                    String s = b.build().toString().replace('\n', ' ');
                    unexpected.add(code + " " + e.getStatus().getDescription() + " for "
                            + (s.length() > 300 ? s.substring(0, 300) + "..." : s));
                }
            }
            byCode.merge(code, 1, Integer::sum);
        }
        System.out.printf("gRPC fuzz: 2000 GetFeaturesRequests, by status %s%n", byCode);
        assertTrue(byCode.getOrDefault(Status.Code.OK, 0) > 0 && byCode.getOrDefault(Status.Code.INVALID_ARGUMENT, 0) > 0,
                byCode.toString());
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
}
