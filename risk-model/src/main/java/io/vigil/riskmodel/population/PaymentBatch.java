package io.vigil.riskmodel.population;

import io.vigil.riskmodel.catalog.PaymentFeature;

/**
 * A block of generated checkouts in columnar arrays, reusable from block to block. Features are row-major in
 * {@link PaymentFeature} order (row i at {@code features[i * WIDTH]}), NaN where a value is missing, which is the layout
 * both the evaluator's batch API and XGBoost's DMatrix take.
 */
public final class PaymentBatch {

    public static final int WIDTH = PaymentFeature.values().length;

    final int capacity;
    long firstRow;
    int size;
    final float[] features;
    final long[] eventTime;
    final double[] fraudProbability;
    final boolean[] fraud;
    final boolean[] chargeback;
    final float[] chargebackDelayDays;
    final StepUpOutcome[] stepUp;
    final boolean[] accountUnseen;
    final boolean[] deviceUnseen;
    final boolean[] cardUnseen;

    public PaymentBatch(int capacity) {
        this.capacity = capacity;
        this.features = new float[capacity * WIDTH];
        this.eventTime = new long[capacity];
        this.fraudProbability = new double[capacity];
        this.fraud = new boolean[capacity];
        this.chargeback = new boolean[capacity];
        this.chargebackDelayDays = new float[capacity];
        this.stepUp = new StepUpOutcome[capacity];
        this.accountUnseen = new boolean[capacity];
        this.deviceUnseen = new boolean[capacity];
        this.cardUnseen = new boolean[capacity];
    }

    public int size() {
        return size;
    }

    /** Population row number of batch row 0; row numbers are stable ids (transaction_id). */
    public long firstRow() {
        return firstRow;
    }

    /** Row-major feature values; only the first {@code size() * WIDTH} are this batch's. */
    public float[] features() {
        return features;
    }

    public float feature(int row, PaymentFeature feature) {
        return features[row * WIDTH + feature.ordinal()];
    }

    public void copyFeatures(int row, float[] out) {
        System.arraycopy(features, row * WIDTH, out, 0, WIDTH);
    }

    public long eventTime(int row) {
        return eventTime[row];
    }

    /** True fraud probability, from the real feature values and the scenario's risk shifts. */
    public double fraudProbability(int row) {
        return fraudProbability[row];
    }

    public boolean fraud(int row) {
        return fraud[row];
    }

    /** Whether a chargeback eventually arrives for this checkout (most frauds, a few genuine disputes). */
    public boolean chargeback(int row) {
        return chargeback[row];
    }

    /** Days from checkout to the chargeback, NaN when none arrives. */
    public float chargebackDelayDays(int row) {
        return chargebackDelayDays[row];
    }

    /** Outcome had the checkout been challenged. */
    public StepUpOutcome stepUpOutcome(int row) {
        return stepUp[row];
    }

    /**
     * Whether the feature store has no history of this row's account (a first-time or unseen account, see
     * {@link Missingness}): its account-level features are missing, and a producer would have published none.
     */
    public boolean accountUnseen(int row) {
        return accountUnseen[row];
    }

    /** Whether device intelligence does not know this row's device: {@code new_device} is missing. */
    public boolean deviceUnseen(int row) {
        return deviceUnseen[row];
    }

    /** Whether this row's card BIN range is unknown: card BIN mismatch and prepaid flag are missing. */
    public boolean cardUnseen(int row) {
        return cardUnseen[row];
    }
}
