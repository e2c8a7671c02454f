package io.vigil.incident.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L);
    private static final byte[] BODY = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * Known answer, computed independently with OpenSSL:
     * {@code printf '1700000000.{"text":"hi"}' | openssl dgst -sha256 -hmac 'whsec_test'}.
     */
    @Test
    void shouldMatchAnIndependentlyComputedHmac() {
        assertEquals("t=1700000000,v1=add2fc7010ee7aa23f65449ce9240cd32763de7515ca26c43cd1e9d447a5361a", WebhookSignature.header("whsec_test", T, BODY));
    }

    @Test
    void shouldVerifyWithinTheReplayWindowOnly() {
        String header = WebhookSignature.header("s3cret", T, BODY);
        Duration window = Duration.ofMinutes(5);
        assertTrue(WebhookSignature.verify(header, "s3cret", BODY, T.plusSeconds(299), window));
        assertFalse(WebhookSignature.verify(header, "s3cret", BODY, T.plusSeconds(301), window), "replayed late");
        assertFalse(WebhookSignature.verify(header, "other", BODY, T, window), "wrong secret");
        assertFalse(WebhookSignature.verify(header, "s3cret", "{}".getBytes(StandardCharsets.UTF_8), T, window),
                "tampered body");
        assertFalse(WebhookSignature.verify(header.replace("t=1700000000", "t=1700000100"), "s3cret", BODY,
                T.plusSeconds(100), window), "timestamp moved forward without the secret");
        assertFalse(WebhookSignature.verify("garbage", "s3cret", BODY, T, window));
        assertFalse(WebhookSignature.verify("t=1,v1=zz", "s3cret", BODY, T, window));
    }
}
