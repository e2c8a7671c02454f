package io.vigil.eventing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ProtoTimeTest {

    @Test
    void shouldKeepNanosecondsBothWays() {
        Instant t = Instant.parse("2026-11-24T09:00:00.123456789Z");
        assertEquals(1_795_510_800L, ProtoTime.of(t).getSeconds());
        assertEquals(123_456_789, ProtoTime.of(t).getNanos());
        assertEquals(t, ProtoTime.toInstant(ProtoTime.of(t)));
    }

    @Test
    void shouldHandleInstantsBeforeTheEpoch() {
        Instant t = Instant.parse("1969-12-31T23:59:59.5Z");
        assertEquals(-1, ProtoTime.of(t).getSeconds());
        assertEquals(500_000_000, ProtoTime.of(t).getNanos());
    }
}
