package io.vigil.simulator.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ArrivalProfileTest {

    final ArrivalProfile profile = new ArrivalProfile();

    @Test
    void shouldAverageToOneOverAWeek() {
        Instant monday = Instant.parse("2026-01-05T00:00:00Z");
        double sum = 0;
        for (int h = 0; h < 24 * 7; h++) {
            sum += profile.factor(monday.plusSeconds(3600L * h));
        }
        assertEquals(1.0, sum / (24 * 7), 1e-12);
        // Monday 03:00 against Saturday 19:00: (0.95 x 0.4) / (1.1 x 6.4).
        assertEquals(0.95 * 0.4 / (1.1 * 6.4), profile.factor(monday.plusSeconds(3 * 3600))
                / profile.factor(monday.plusSeconds((5 * 24 + 19) * 3600L)), 1e-12);
    }

    @Test
    void shouldDrawArrivalsAtTheProfilesRateWithinPoissonBounds() {
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        double mean = 2.0;
        SplittableRandom rnd = new SplittableRandom(5);
        int[] perHour = new int[24];
        Instant t = start;
        while (true) {
            t = profile.next(t, mean, 1.5, rnd);
            long h = (t.getEpochSecond() - start.getEpochSecond()) / 3600;
            if (h >= 24) {
                break;
            }
            perHour[(int) h]++;
        }
        for (int h = 0; h < 24; h++) {
            double expected = mean * 1.5 * 3600 * profile.factor(start.plusSeconds(3600L * h));
            // Poisson: within 4.5 standard deviations (about 1 in 150,000 per hour by chance; fixed seed).
            assertTrue(Math.abs(perHour[h] - expected) < 4.5 * Math.sqrt(expected),
                    "hour " + h + ": " + perHour[h] + " arrivals, expected " + expected);
        }
    }
}
