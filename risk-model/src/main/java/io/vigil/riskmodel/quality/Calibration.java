package io.vigil.riskmodel.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether scores mean what they say: of the rows scored around 8%, about 8% should be fraud. Bins are equal-width on
 * [0, 1]; the expected calibration error is the row-weighted mean |mean score - observed fraud rate| over bins.
 */
public final class Calibration {

    /**
     * One bin of the reliability table.
     *
     * @param lower         bin lower bound (inclusive)
     * @param upper         bin upper bound (exclusive, inclusive for the last bin)
     * @param rows          rows in the bin
     * @param meanScore     mean predicted probability
     * @param observedRate  fraction that were fraud
     */
    public record Bin(double lower, double upper, long rows, double meanScore, double observedRate) {
    }

    /**
     * @param bins reliability table, empty bins included with NaN means
     * @param expectedCalibrationError row-weighted mean gap between mean score and observed rate
     */
    public record Report(List<Bin> bins, double expectedCalibrationError) {
    }

    private Calibration() {
    }

    public static Report of(double[] scores, boolean[] labels, int binCount) {
        if (binCount <= 0) {
            throw new IllegalArgumentException("binCount must be positive");
        }
        long[] rows = new long[binCount];
        double[] scoreSum = new double[binCount];
        long[] positives = new long[binCount];
        for (int i = 0; i < scores.length; i++) {
            int b = Math.min((int) (scores[i] * binCount), binCount - 1);
            rows[b]++;
            scoreSum[b] += scores[i];
            positives[b] += labels[i] ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>(binCount);
        double ece = 0.0;
        for (int b = 0; b < binCount; b++) {
            double mean = rows[b] == 0 ? Double.NaN : scoreSum[b] / rows[b];
            double rate = rows[b] == 0 ? Double.NaN : positives[b] / (double) rows[b];
            bins.add(new Bin(b / (double) binCount, (b + 1) / (double) binCount, rows[b], mean, rate));
            if (rows[b] > 0) {
                ece += rows[b] / (double) scores.length * Math.abs(mean - rate);
            }
        }
        return new Report(List.copyOf(bins), ece);
    }
}
