package io.vigil.features.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vigil.features.contract.Verdict.Outcome;
import io.vigil.features.contract.Verdict.Reason;

class ContractValidatorTest {

    private static final FeatureSet V1 = ContractFixtures.checkoutV1();
    private static final FeatureContract NULLABLE = new FeatureSetParser().parse(ContractFixtures.minimal(
            "  - {name: score, entity: account, type: double, range: {min: 0, max: 1}, nullable: true, freshness: PT1H}"))
            .feature("score").orElseThrow();

    static Stream<Arguments> cases() {
        return Stream.of(
                // feature, raw value, producer, outcome, reason, canonical value
                Arguments.of("account_age_days", 420L, "account-profile", Outcome.ACCEPT, Reason.NONE, 420L),
                Arguments.of("account_age_days", 0L, "account-profile", Outcome.FLAG, Reason.SENTINEL, 0L),
                Arguments.of("account_age_days", 36500L, "account-profile", Outcome.ACCEPT, Reason.NONE, 36500L),
                Arguments.of("account_age_days", 36501L, "account-profile", Outcome.REJECT, Reason.OUT_OF_RANGE, null),
                Arguments.of("account_age_days", -3L, "account-profile", Outcome.REJECT, Reason.OUT_OF_RANGE, null),
                Arguments.of("account_age_days", 12.5, "account-profile", Outcome.REJECT, Reason.TYPE_MISMATCH, null),
                Arguments.of("account_age_days", "12", "account-profile", Outcome.REJECT, Reason.TYPE_MISMATCH, null),
                Arguments.of("account_age_days", null, "account-profile", Outcome.REJECT, Reason.NULL_NOT_ALLOWED, null),
                Arguments.of("account_age_days", 420L, "someone-else", Outcome.FLAG, Reason.UNDECLARED_SOURCE, 420L),
                Arguments.of("amount_sum_24h", 12L, "txn-aggregator", Outcome.ACCEPT, Reason.NONE, 12.0),
                Arguments.of("amount_sum_24h", Double.NaN, "txn-aggregator", Outcome.REJECT, Reason.OUT_OF_RANGE, null),
                Arguments.of("avg_order_amount", 0.0, "txn-aggregator", Outcome.REJECT, Reason.OUT_OF_RANGE, null),
                Arguments.of("avg_order_amount", 0.01, "txn-aggregator", Outcome.ACCEPT, Reason.NONE, 0.01),
                Arguments.of("merchant_fraud_rate_90d", 1.0, "merchant-risk", Outcome.ACCEPT, Reason.NONE, 1.0),
                Arguments.of("merchant_fraud_rate_90d", 1.2, "merchant-risk", Outcome.REJECT, Reason.OUT_OF_RANGE, null),
                Arguments.of("country", "CA", "account-profile", Outcome.ACCEPT, Reason.NONE, "CA"),
                Arguments.of("country", "", "account-profile", Outcome.FLAG, Reason.SENTINEL, ""),
                Arguments.of("country", "XX", "account-profile", Outcome.REJECT, Reason.VALUE_NOT_ALLOWED, null),
                Arguments.of("login_method", "social", "account-profile", Outcome.ACCEPT, Reason.NONE, "social"),
                Arguments.of("email_domain_free", true, "account-profile", Outcome.ACCEPT, Reason.NONE, true),
                Arguments.of("email_domain_free", "true", "account-profile", Outcome.REJECT, Reason.TYPE_MISMATCH, null),
                Arguments.of("device_age_days", 3L, null, Outcome.ACCEPT, Reason.NONE, 3L));
    }

    @ParameterizedTest(name = "{0} = {1} from {2} -> {3} {4}")
    @MethodSource("cases")
    void shouldJudgeEachValueAgainstItsContract(String feature, Object raw, String producer, Outcome outcome,
            Reason reason, Object canonical) {
        Verdict v = ContractValidator.judge(V1.feature(feature).orElseThrow(), raw, producer);
        assertEquals(outcome, v.outcome(), v.detail());
        assertEquals(reason, v.reason(), v.detail());
        assertEquals(canonical, v.value());
    }

    @ParameterizedTest
    @MethodSource("nullables")
    void shouldAcceptNullOnlyWhereNullable(Object raw, Outcome outcome) {
        assertEquals(outcome, ContractValidator.judge(NULLABLE, raw, "p").outcome());
    }

    static Stream<Arguments> nullables() {
        return Stream.of(Arguments.of(null, Outcome.ACCEPT), Arguments.of(0.5, Outcome.ACCEPT),
                Arguments.of(1.5, Outcome.REJECT));
    }
}
