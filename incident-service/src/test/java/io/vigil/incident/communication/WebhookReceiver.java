package io.vigil.incident.communication;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver for webhooks, with its own signature check written from the documented scheme (HMAC-SHA256
 * over {@code t + "." + body}, javax.crypto, not the service's class). Each path answers with the status its policy
 * gives for the n-th request it gets.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A request as received: its headers, body, and whether its signature verified against the secret. */
    public record Received(String path, String signature, long signedAt, boolean signatureValid, String deliveryId,
            String eventType, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    /** Adds a path answering {@code status.applyAsInt(n)} to its n-th request (1-based). */
    public String route(String path, String secret, IntUnaryOperator policy) {
        AtomicInteger count = new AtomicInteger();
        server.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String header = exchange.getRequestHeaders().getFirst("Vigil-Signature");
            long t = -1;
            boolean valid = false;
            if (header != null) {
                String ts = null;
                String v1 = null;
                for (String part : header.split(",")) {
                    if (part.startsWith("t=")) {
                        ts = part.substring(2);
                    } else if (part.startsWith("v1=")) {
                        v1 = part.substring(3);
                    }
                }
                if (ts != null && v1 != null) {
                    t = Long.parseLong(ts);
                    valid = MessageDigest.isEqual(hmac(secret, ts + "." + new String(body, StandardCharsets.UTF_8)),
                            HexFormat.of().parseHex(v1));
                }
            }
            received.add(new Received(path, header, t, valid, exchange.getRequestHeaders().getFirst("Vigil-Delivery-Id"),
                    exchange.getRequestHeaders().getFirst("Vigil-Event-Type"), new String(body, StandardCharsets.UTF_8)));
            int status = policy.applyAsInt(count.incrementAndGet());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static byte[] hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
