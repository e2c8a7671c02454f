package io.vigil.features.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureStatus;
import io.vigil.contracts.features.v1.GetFeaturesRequest;
import io.vigil.contracts.features.v1.GetFeaturesResponse;
import io.vigil.features.config.FeaturesConfig;
import io.vigil.features.contract.FeatureContract;
import io.vigil.features.contract.FeatureContracts;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.FeatureSetParser;
import io.vigil.features.contract.FeatureType;
import io.vigil.features.ingest.FeatureStore.StoredValue;

/** Serving statuses by hand-built stored values and a fixed clock; the deadline on a load that never returns. */
class FeatureServerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final FeatureSet V1 = load();

    static Stream<Arguments> statuses() {
        return Stream.of(
                // feature, stored value (type), flagged, age of the event, expected status, served value
                Arguments.of("account_age_days", 420L, FeatureType.LONG, false, Duration.ofHours(1), FeatureStatus.FEATURE_STATUS_OK, 420L),
                Arguments.of("account_age_days", 420L, FeatureType.LONG, false, Duration.ofDays(2), FeatureStatus.FEATURE_STATUS_OK, 420L),
                Arguments.of("account_age_days", 420L, FeatureType.LONG, false, Duration.ofDays(2).plusSeconds(1), FeatureStatus.FEATURE_STATUS_STALE, 420L),
                Arguments.of("account_age_days", 0L, FeatureType.LONG, true, Duration.ofHours(1), FeatureStatus.FEATURE_STATUS_DEFAULTED, 0L),
                Arguments.of("prior_orders", 7L, FeatureType.LONG, true, Duration.ofHours(1), FeatureStatus.FEATURE_STATUS_DEFAULTED, 7L),
                Arguments.of("account_age_days", 40000L, FeatureType.LONG, false, Duration.ofHours(1), FeatureStatus.FEATURE_STATUS_VIOLATION, null),
                Arguments.of("account_age_days", 12.5, FeatureType.DOUBLE, false, Duration.ofHours(1), FeatureStatus.FEATURE_STATUS_VIOLATION, null),
                Arguments.of("amount_sum_24h", 12L, FeatureType.LONG, false, Duration.ofMinutes(5), FeatureStatus.FEATURE_STATUS_OK, 12.0),
                Arguments.of("txn_count_1h", 2L, FeatureType.LONG, false, Duration.ofMinutes(16), FeatureStatus.FEATURE_STATUS_STALE, 2L),
                Arguments.of("country", "", FeatureType.ENUM, true, Duration.ofDays(40), FeatureStatus.FEATURE_STATUS_DEFAULTED, ""),
                Arguments.of("country", "CA", FeatureType.ENUM, false, Duration.ofDays(1), FeatureStatus.FEATURE_STATUS_OK, "CA"),
                Arguments.of("country", null, FeatureType.ENUM, false, Duration.ofDays(1), FeatureStatus.FEATURE_STATUS_MISSING, null));
    }

    @ParameterizedTest(name = "{0} = {1}, flagged {3}, {4} old -> {5}")
    @MethodSource("statuses")
    void shouldServeEachStoredValueWithItsStatus(String feature, Object value, FeatureType type, boolean flagged,
            Duration age, FeatureStatus status, Object served) {
        FeatureContract c = V1.feature(feature).orElseThrow();
        ServedStatus.Served s = ServedStatus.of(c, new StoredValue(feature, value, type, flagged, null, NOW.minus(age)), NOW);
        assertEquals(status, s.status());
        assertEquals(served, s.value());
    }

    @Test
    void shouldServeMissingWhenNothingIsStored() {
        assertEquals(FeatureStatus.FEATURE_STATUS_MISSING,
                ServedStatus.of(V1.feature("country").orElseThrow(), null, NOW).status());
    }

    @Test
    void shouldGiveUpALoadThatOutlivesTheCallersDeadline() {
        AtomicInteger loads = new AtomicInteger();
        FeatureServer server = server((ref, executor) -> {
            loads.incrementAndGet();
            return new CompletableFuture<>(); // a database that never answers
        });
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> server.getFeatures(request("acc-1"), Duration.ofMillis(50)).await().atMost(Duration.ofSeconds(5)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertEquals(1, loads.get());
    }

    @Test
    void shouldAnswerACachedEntityWithoutLoadingAgain() {
        AtomicInteger loads = new AtomicInteger();
        FeatureServer server = server((ref, executor) -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(Map.of("account_age_days",
                    new StoredValue("account_age_days", 420L, FeatureType.LONG, false, null, NOW.minusSeconds(60))));
        });
        GetFeaturesResponse first = server.getFeatures(request("acc-1"), Duration.ofSeconds(1)).await().indefinitely();
        GetFeaturesResponse second = server.getFeatures(request("acc-1"), null).await().indefinitely();
        assertEquals(first, second);
        assertEquals(1, loads.get());
        assertEquals(List.of(FeatureStatus.FEATURE_STATUS_OK, FeatureStatus.FEATURE_STATUS_MISSING),
                second.getFeaturesList().stream().map(f -> f.getStatus()).toList());
    }

    private static GetFeaturesRequest request(String account) {
        return GetFeaturesRequest.newBuilder().setFeatureSetVersion("checkout-features@1")
                .addEntities(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_ACCOUNT).setId(account))
                .addFeatureNames("account_age_days").addFeatureNames("txn_count_1h").build();
    }

    private static FeatureServer server(
            java.util.function.BiFunction<FeatureCache.EntityRef, java.util.concurrent.Executor, CompletableFuture<Map<String, StoredValue>>> loader) {
        FeaturesConfig config = new StubConfig();
        FeatureContracts contracts = new FeatureContracts(config, null);
        contracts.put(V1);
        return new FeatureServer(contracts, new FeatureCache(loader, 100, Duration.ofMinutes(1)), config,
                Clock.fixed(NOW, ZoneOffset.UTC), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    private static FeatureSet load() {
        try (InputStream in = FeatureServerTest.class.getResourceAsStream("/feature-contracts/checkout-features-v1.yaml")) {
            return new FeatureSetParser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Only the serving keys are read by FeatureServer. */
    private static final class StubConfig implements FeaturesConfig {
        @Override
        public Contracts contracts() {
            return new Contracts() {
                @Override
                public List<String> files() {
                    return List.of();
                }

                @Override
                public Optional<String> directory() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public Ingest ingest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Serving serving() {
            return new Serving() {
                @Override
                public String defaultFeatureSet() {
                    return "checkout-features@1";
                }

                @Override
                public long cacheMaxEntities() {
                    return 100;
                }

                @Override
                public Duration cacheTtl() {
                    return Duration.ofMinutes(1);
                }
            };
        }

        @Override
        public WarmUp warmUp() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Health health() {
            throw new UnsupportedOperationException();
        }
    }
}
