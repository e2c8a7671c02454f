package io.vigil.riskmodel.population;

import io.vigil.riskmodel.catalog.PaymentFeature;

/**
 * Seed scenario knob: an upstream producer sends a default instead of the real value for one segment, e.g.
 * account_age_days = 0 for social-login accounts. Only the emitted feature changes; the true fraud probability still
 * follows the real value, which is what makes the defect harmful to a model.
 */
public record DefaultedField(PaymentFeature feature, float value, Cohort segment) {

    /** Parses {@code feature=value@segment}, e.g. {@code account_age_days=0@login_method=social}. */
    public static DefaultedField parse(String text) {
        int at = text.indexOf('@');
        String assignment = at < 0 ? text : text.substring(0, at);
        String[] kv = assignment.split("=", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("defaulted field '" + text + "' is not feature=value@segment");
        }
        PaymentFeature feature = Cohort.feature(kv[0].trim());
        float value = Cohort.value(feature, kv[1].trim());
        Cohort segment = at < 0 ? new Cohort(java.util.List.of()) : Cohort.parse(text.substring(at + 1));
        return new DefaultedField(feature, value, segment);
    }
}
