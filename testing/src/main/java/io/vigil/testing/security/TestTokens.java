package io.vigil.testing.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Bearer tokens for tests, signed with the test key pair in this jar ({@code io/vigil/testing/security/}), never the
 * local stack's {@code .vigil/} key. {@link io.vigil.testing.quarkus.VigilInfrastructure} points every service under
 * test at the matching public key and {@link #ISSUER}, so {@code TestTokens.bearer("operator", "alice")} is all a test
 * needs. The broken variants are the cases a service must answer with 401.
 */
public final class TestTokens {

    public static final String ISSUER = "https://vigil.test/auth";
    /** Classpath location of the public key the services verify test tokens with. */
    public static final String PUBLIC_KEY_RESOURCE = "io/vigil/testing/security/test-public-key.pem";
    private static final String PRIVATE_KEY_RESOURCE = "io/vigil/testing/security/test-private-key.pem";
    /** A key the services do not trust: a token signed with it has a wrong signature. */
    private static final String OTHER_PRIVATE_KEY_RESOURCE = "io/vigil/testing/security/other-private-key.pem";

    private TestTokens() {
    }

    /** {@code Bearer <token>} for an {@code Authorization} header. */
    public static String bearer(String role, String subject) {
        return "Bearer " + token(role, subject);
    }

    /** A valid token for one hour, granting {@code role} to {@code subject}. */
    public static String token(String role, String subject) {
        return claims(role, subject, ISSUER, Instant.now(), Duration.ofHours(1)).sign(key(PRIVATE_KEY_RESOURCE));
    }

    /** Expired an hour ago (well beyond any clock-skew allowance). */
    public static String expired(String role, String subject) {
        return claims(role, subject, ISSUER, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1))
                .sign(key(PRIVATE_KEY_RESOURCE));
    }

    /** Signed with the trusted key but naming another issuer. */
    public static String wrongIssuer(String role, String subject) {
        return claims(role, subject, "https://elsewhere.example/auth", Instant.now(), Duration.ofHours(1))
                .sign(key(PRIVATE_KEY_RESOURCE));
    }

    /** Right issuer and claims, signed with a key the services do not trust. */
    public static String wrongSignature(String role, String subject) {
        return claims(role, subject, ISSUER, Instant.now(), Duration.ofHours(1)).sign(key(OTHER_PRIVATE_KEY_RESOURCE));
    }

    /** Configuration that makes a service verify these tokens; VigilInfrastructure applies it. */
    public static Map<String, String> verifierConfig() {
        return Map.of("mp.jwt.verify.publickey.location", PUBLIC_KEY_RESOURCE, "mp.jwt.verify.issuer", ISSUER);
    }

    /**
     * The public key as a file, for a service started as a separate process (its classpath does not hold this jar).
     */
    public static Path publicKeyFile() {
        try {
            Path file = Files.createTempFile("vigil-test-public-key-", ".pem");
            Files.writeString(file, resource(PUBLIC_KEY_RESOURCE));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JwtClaimsBuilder claims(String role, String subject, String issuer, Instant issuedAt,
            Duration lifetime) {
        return Jwt.issuer(issuer)
                .subject(subject)
                .groups(Set.of(role))
                .issuedAt(issuedAt)
                .expiresAt(issuedAt.plus(lifetime));
    }

    private static PrivateKey key(String resource) {
        try {
            return KeyUtils.decodePrivateKey(resource(resource));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test key " + resource + " does not decode", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test key " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
