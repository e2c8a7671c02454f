package io.vigil.training.card;

import io.vigil.riskmodel.catalog.PaymentFeature;

/** A named subset of test rows whose decisions the model card reports separately. */
public record CohortSlice(String name, RowFilter filter) {

    /** Tests a row of row-major features at {@code offset}. */
    @FunctionalInterface
    public interface RowFilter {
        boolean test(float[] features, int offset);
    }

    /** Cohorts the guardrails watch by default: the seed scenarios' segments and the usual risky ones. */
    public static java.util.List<CohortSlice> keyCohorts() {
        int country = PaymentFeature.COUNTRY.ordinal();
        int age = PaymentFeature.CUSTOMER_AGE_BAND.ordinal();
        int login = PaymentFeature.LOGIN_METHOD.ordinal();
        int channel = PaymentFeature.CHANNEL.ordinal();
        int accountAge = PaymentFeature.ACCOUNT_AGE_DAYS.ordinal();
        return java.util.List.of(
                new CohortSlice("all", (x, o) -> true),
                new CohortSlice("country=CA,customer_age_band=18-24", (x, o) -> x[o + country] == 1f && x[o + age] == 0f),
                new CohortSlice("login_method=social", (x, o) -> x[o + login] == 1f),
                new CohortSlice("channel=voice", (x, o) -> x[o + channel] == 2f),
                new CohortSlice("account_age_days<30", (x, o) -> x[o + accountAge] < 30f));
    }
}
