package io.vigil.riskmodel.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void shouldComputeReliabilityTableAndExpectedCalibrationError() {
        // Bin [0,0.5): scores 0.1, 0.2, 0.3 (mean 0.2), one fraud of three (0.333); bin [0.5,1]: 0.9, 1.0 (mean 0.95),
        // both fraud (1.0). ECE = 3/5 * |0.2 - 1/3| + 2/5 * |0.95 - 1| = 0.08 + 0.02 = 0.1.
        double[] s = {0.1, 0.2, 0.3, 0.9, 1.0};
        boolean[] y = {true, false, false, true, true};
        Calibration.Report report = Calibration.of(s, y, 2);
        assertEquals(0.1, report.expectedCalibrationError(), 1e-12);
        assertEquals(3, report.bins().get(0).rows());
        assertEquals(0.2, report.bins().get(0).meanScore(), 1e-12);
        assertEquals(1.0 / 3, report.bins().get(0).observedRate(), 1e-12);
        assertEquals(2, report.bins().get(1).rows(), "a score of exactly 1 belongs to the last bin");
    }

    @Test
    void shouldBeZeroForPerfectCalibration() {
        double[] s = {0.25, 0.25, 0.25, 0.25};
        boolean[] y = {true, false, false, false};
        assertEquals(0.0, Calibration.of(s, y, 10).expectedCalibrationError(), 1e-12);
    }
}
