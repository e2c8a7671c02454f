package io.vigil.scoring.warmup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
/** Only the service itself may mark a call as warm-up: a checkout elsewhere on the network cannot hide a payment. */
class WarmUpCallsTest {

    @Test
    void shouldTrustTheMarkerOnlyOverLoopback() {
        assertTrue(WarmUpCalls.fromLoopback(new InetSocketAddress("127.0.0.1", 40000)));
        assertTrue(WarmUpCalls.fromLoopback(new InetSocketAddress("::1", 40000)));
        assertFalse(WarmUpCalls.fromLoopback(new InetSocketAddress("10.1.2.3", 40000)));
        assertFalse(WarmUpCalls.fromLoopback(new InetSocketAddress("192.168.0.7", 40000)));
        assertFalse(WarmUpCalls.fromLoopback(InetSocketAddress.createUnresolved("localhost", 40000)));
        assertFalse(WarmUpCalls.fromLoopback(java.net.UnixDomainSocketAddress.of("/tmp/vigil.sock")));
        assertFalse(WarmUpCalls.fromLoopback(null));
    }
}
