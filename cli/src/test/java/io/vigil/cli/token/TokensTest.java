package io.vigil.cli.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens are checked with jose4j's own consumer against the public key file, not with the code that signed them. */
class TokensTest {

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheKeyPairOnceWithAPrivateKeyOnlyItsOwnerReads() throws Exception {
        assertTrue(SigningKeys.init(dir));
        byte[] first = Files.readAllBytes(dir.resolve(SigningKeys.PRIVATE_KEY));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SigningKeys.PRIVATE_KEY))));
        assertFalse(SigningKeys.init(dir), "a second init keeps the pair");
        assertEquals(new String(first), Files.readString(dir.resolve(SigningKeys.PRIVATE_KEY)));
    }

    @Test
    void shouldSignATokenThePublicKeyVerifiesWithSubjectRoleIssuerAndExpiry() throws Exception {
        SigningKeys.init(dir);
        Instant now = Instant.now();
        String token = Tokens.sign(SigningKeys.readPrivateKey(dir.resolve(SigningKeys.PRIVATE_KEY)), "vigil-local",
                "operator", "alice", Duration.ofHours(8), now);
        JwtClaims claims = consumer(publicKey(dir), "vigil-local").processToClaims(token);
        assertEquals("alice", claims.getSubject());
        assertEquals(List.of("operator"), claims.getStringListClaimValue("groups"));
        assertEquals(now.getEpochSecond() + 8 * 3600, claims.getExpirationTime().getValue());
        assertThrows(InvalidJwtException.class, () -> consumer(publicKey(dir), "someone-else").processToClaims(token));
    }

    @Test
    void shouldRefuseARoleTheServicesDoNotKnowAndABlankSubject() throws Exception {
        SigningKeys.init(dir);
        var key = SigningKeys.readPrivateKey(dir.resolve(SigningKeys.PRIVATE_KEY));
        assertThrows(IllegalArgumentException.class,
                () -> Tokens.sign(key, "vigil-local", "root", "alice", Duration.ofHours(1), Instant.now()));
        assertThrows(IllegalArgumentException.class,
                () -> Tokens.sign(key, "vigil-local", "viewer", " ", Duration.ofHours(1), Instant.now()));
    }

    @Test
    void shouldParseLifetimesWithinThirtyDays() {
        assertEquals(Duration.ofHours(8), Tokens.parseTtl("8h"));
        assertEquals(Duration.ofMinutes(30), Tokens.parseTtl("30m"));
        assertEquals(Duration.ofSeconds(45), Tokens.parseTtl("45s"));
        assertEquals(Duration.ofDays(30), Tokens.parseTtl("30d"));
        for (String bad : new String[] { "0h", "31d", "8", "h", "-1h", "8 hours", "" }) {
            assertThrows(IllegalArgumentException.class, () -> Tokens.parseTtl(bad), bad);
        }
    }

    private static JwtConsumer consumer(PublicKey key, String issuer) {
        return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(issuer).setRequireSubject()
                .setRequireExpirationTime().build();
    }

    private static PublicKey publicKey(Path dir) throws Exception {
        String pem = Files.readString(dir.resolve(SigningKeys.PUBLIC_KEY))
                .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
