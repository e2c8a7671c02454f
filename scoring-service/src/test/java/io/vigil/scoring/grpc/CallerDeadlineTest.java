package io.vigil.scoring.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CallerDeadlineTest {

    @Test
    void shouldParseTheGrpcTimeoutHeader() {
        assertEquals(150_000_000L, CallerDeadline.parse("150m"));
        assertEquals(2_000_000_000L, CallerDeadline.parse("2S"));
        assertEquals(7_000L, CallerDeadline.parse("7u"));
        assertEquals(99L, CallerDeadline.parse("99n"));
        assertEquals(60_000_000_000L, CallerDeadline.parse("1M"));
        assertEquals(3_600_000_000_000L, CallerDeadline.parse("1H"));
        assertEquals(-1L, CallerDeadline.parse(null));
        assertEquals(-1L, CallerDeadline.parse("m"));
        assertEquals(-1L, CallerDeadline.parse("12x"));
        assertEquals(-1L, CallerDeadline.parse("1a2m"));
        assertEquals(-1L, CallerDeadline.parse("123456789m"), "more than 8 digits");
    }
}
