package io.vigil.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class StartConverterTest {

    private final SimulateCommand.StartConverter converter = new SimulateCommand.StartConverter();

    @Test
    void shouldReadRfc3339AndNow() {
        assertEquals(Instant.parse("2026-01-05T00:00:00Z"), converter.convert("2026-01-05T00:00:00Z"));
        Instant before = Instant.now().minusSeconds(1);
        Instant now = converter.convert("NOW");
        assertTrue(!now.isBefore(before) && Duration.between(before, now).getSeconds() < 5, now.toString());
        assertEquals(0, now.getNano(), "to the second");
        assertThrows(java.time.format.DateTimeParseException.class, () -> converter.convert("yesterday"));
    }
}
