package io.vigil.eventing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.protobuf.Timestamp;

class CloudEventHeadersTest {

    private static final Instant T = Instant.parse("2026-11-24T09:00:00.123Z");

    @Test
    void shouldWriteBinaryModeHeadersThatReadBackEqual() {
        CloudEventHeaders written = new CloudEventHeaders("id-1", "//vigil/scoring-service", "vigil.events.v1.X", T,
                CloudEventHeaders.PROTOBUF);
        RecordHeaders headers = new RecordHeaders();
        written.writeTo(headers);

        assertEquals("1.0", text(headers, "ce_specversion"));
        assertEquals("2026-11-24T09:00:00.123Z", text(headers, "ce_time"));
        assertEquals("application/protobuf", text(headers, "content-type"));
        assertEquals(written, CloudEventHeaders.readFrom(headers));
    }

    @Test
    void shouldTakeTypeFromTheProtobufFullName() {
        // Timestamp is a real generated message available without our own codegen.
        CloudEventHeaders h = CloudEventHeaders.forPayload("feature-service", Timestamp.getDefaultInstance(), T);
        assertEquals("google.protobuf.Timestamp", h.type());
        assertEquals("//vigil/feature-service", h.source());
    }

    @Test
    void shouldGiveEachEventItsOwnId() {
        var a = CloudEventHeaders.forPayload("s", Timestamp.getDefaultInstance(), T);
        var b = CloudEventHeaders.forPayload("s", Timestamp.getDefaultInstance(), T);
        org.junit.jupiter.api.Assertions.assertNotEquals(a.id(), b.id());
    }

    @ParameterizedTest
    @CsvSource({
            "ce_specversion, missing",
            "ce_id, missing",
            "ce_source, missing",
            "ce_type, missing",
            "ce_time, missing",
            "content-type, missing",
    })
    void shouldNameTheMissingHeader(String header, String problem) {
        RecordHeaders headers = new RecordHeaders();
        new CloudEventHeaders("id", "//vigil/x", "t", T, CloudEventHeaders.PROTOBUF).writeTo(headers);
        headers.remove(header);

        InvalidCloudEventException e = assertThrows(InvalidCloudEventException.class,
                () -> CloudEventHeaders.readFrom(headers));
        assertEquals(header, e.header());
        assertEquals("CloudEvents header " + header + ": " + problem, e.getMessage());
    }

    @Test
    void shouldRejectAMalformedTimeAndAnUnknownSpecVersion() {
        RecordHeaders headers = new RecordHeaders();
        new CloudEventHeaders("id", "//vigil/x", "t", T, CloudEventHeaders.PROTOBUF).writeTo(headers);
        headers.remove("ce_time");
        headers.add("ce_time", "yesterday".getBytes(StandardCharsets.UTF_8));
        assertEquals("ce_time", assertThrows(InvalidCloudEventException.class,
                () -> CloudEventHeaders.readFrom(headers)).header());

        headers.remove("ce_time");
        headers.add("ce_time", T.toString().getBytes(StandardCharsets.UTF_8));
        headers.remove("ce_specversion");
        headers.add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
        assertEquals("ce_specversion", assertThrows(InvalidCloudEventException.class,
                () -> CloudEventHeaders.readFrom(headers)).header());
    }

    private static String text(RecordHeaders headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
