package io.vigil.features.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Timestamp;

import io.vigil.contracts.features.v1.EntityKey;
import io.vigil.contracts.features.v1.EntityType;
import io.vigil.contracts.features.v1.FeatureValue;
import io.vigil.features.contract.EntityKind;
import io.vigil.features.contract.FeatureSet;
import io.vigil.features.contract.FeatureSetParser;
import io.vigil.features.contract.Verdict;

class UpdateJudgeTest {

    private static final FeatureSet V1 = load();

    @Test
    void shouldReportUnknownMissingAndRetypedFieldsNamingTheProducer() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("account_age_days", 12.0); // retyped: the contract says long
        fields.put("country", "CA");
        fields.put("shoe_size", 44L); // unknown
        fields.put("merchant_category", "travel"); // a merchant feature sent for an account
        Judged j = UpdateJudge.judge(V1, new FeatureUpdate("e1", "account-profile", EntityKind.ACCOUNT, "a1",
                Instant.EPOCH, fields, Map.of()));
        Set<String> drift = j.drift().stream().map(d -> d.producer() + ":" + d.field() + ":" + d.kind())
                .collect(Collectors.toSet());
        assertEquals(Set.of("account-profile:account_age_days:TYPE_CHANGED", "account-profile:shoe_size:UNKNOWN_FIELD",
                "account-profile:merchant_category:UNKNOWN_FIELD", "account-profile:login_method:MISSING_FIELD",
                "account-profile:customer_age_band:MISSING_FIELD", "account-profile:region:MISSING_FIELD",
                "account-profile:email_age_days:MISSING_FIELD", "account-profile:email_domain_free:MISSING_FIELD",
                "account-profile:password_reset_7d:MISSING_FIELD"), drift);
        assertEquals(List.of(Verdict.Outcome.REJECT, Verdict.Outcome.ACCEPT),
                j.values().stream().map(v -> v.verdict().outcome()).toList());
    }

    @Test
    void shouldReportNoMissingFieldsForAProducerThatIsNoDeclaredSource() {
        Judged j = UpdateJudge.judge(V1, new FeatureUpdate("e1", "backfill", EntityKind.ACCOUNT, "a1", Instant.EPOCH,
                Map.of("txn_count_1h", 2L), Map.of()));
        assertEquals(List.of(), j.drift());
        assertEquals(Verdict.Reason.UNDECLARED_SOURCE, j.values().get(0).verdict().reason());
    }

    @Test
    void shouldDecodeAKafkaUpdateAndRefuseOneWithoutEntityOrTime() {
        io.vigil.contracts.events.v1.FeatureUpdate.Builder b = io.vigil.contracts.events.v1.FeatureUpdate.newBuilder()
                .setProducer("merchant-risk")
                .setEntity(EntityKey.newBuilder().setType(EntityType.ENTITY_TYPE_MERCHANT).setId("m1"))
                .setEventTime(Timestamp.newBuilder().setSeconds(1_800_000_000L))
                .putFields("merchant_fraud_rate_90d", FeatureValue.newBuilder().setDoubleValue(0.1).build())
                .putFields("legacy_flag", FeatureValue.getDefaultInstance());
        FeatureUpdate u = FeatureUpdatesConsumer.decode("ce-1", b.build());
        assertEquals("ce-1", u.eventId());
        assertEquals(EntityKind.MERCHANT, u.entity());
        assertEquals(Instant.ofEpochSecond(1_800_000_000L), u.eventTime());
        assertEquals(0.1, u.fields().get("merchant_fraud_rate_90d"));
        assertEquals(true, u.fields().containsKey("legacy_flag"));
        assertEquals(null, u.fields().get("legacy_flag"));

        assertThrows(IllegalArgumentException.class, () -> FeatureUpdatesConsumer.decode("ce-2", b.clone().clearEventTime().build()));
        assertThrows(IllegalArgumentException.class, () -> FeatureUpdatesConsumer.decode("ce-3",
                b.clone().setEntity(EntityKey.newBuilder().setId("x")).build()));
        assertThrows(IllegalArgumentException.class, () -> FeatureUpdatesConsumer.decode("ce-4", b.clone().setProducer("").build()));
    }

    private static FeatureSet load() {
        try (InputStream in = UpdateJudgeTest.class.getResourceAsStream("/feature-contracts/checkout-features-v1.yaml")) {
            return new FeatureSetParser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
