package io.vigil.eventing;

import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Conversions between java.time and google.protobuf.Timestamp, which every event carries. */
public final class ProtoTime {

    private ProtoTime() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
