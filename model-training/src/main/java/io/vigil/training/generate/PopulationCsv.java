package io.vigil.training.generate;

import io.vigil.riskmodel.catalog.PaymentFeature;
import io.vigil.riskmodel.population.PaymentBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV layout of the synthetic population: an id, the event time, the features by catalog name (empty cell = missing),
 * then the ground truth and the labels as they arrive in production.
 */
public final class PopulationCsv {

    public static final List<String> LABEL_COLUMNS = List.of("fraud_probability", "is_fraud", "chargeback",
            "chargeback_delay_days", "stepup_outcome");

    private PopulationCsv() {
    }

    public static String header() {
        List<String> columns = new ArrayList<>();
        columns.add("transaction_id");
        columns.add("event_time");
        columns.addAll(PaymentFeature.names());
        columns.addAll(LABEL_COLUMNS);
        return String.join(",", columns);
    }

    /** Appends batch row {@code i} (with its line break); fast formatting: most values are small integers. */
    public static void appendRow(PaymentBatch b, int i, StringBuilder out) {
        out.append('t').append(b.firstRow() + i).append(',').append(b.eventTime(i));
        float[] x = b.features();
        int o = i * PaymentBatch.WIDTH;
        for (int f = 0; f < PaymentBatch.WIDTH; f++) {
            out.append(',');
            appendNumber(x[o + f], out);
        }
        out.append(',');
        out.append((float) b.fraudProbability(i));
        out.append(',').append(b.fraud(i) ? '1' : '0');
        out.append(',').append(b.chargeback(i) ? '1' : '0');
        out.append(',');
        appendNumber(b.chargebackDelayDays(i), out);
        out.append(',').append(b.stepUpOutcome(i).label());
        out.append('\n');
    }

    static void appendNumber(float v, StringBuilder out) {
        if (Float.isNaN(v)) {
            return;
        }
        int asInt = (int) v;
        if (asInt == v && Math.abs(v) < 1e9f) {
            out.append(asInt);
        } else {
            // Float.toString is the shortest text that parses back to the same float: the model sees exactly this value.
            out.append(v);
        }
    }
}
