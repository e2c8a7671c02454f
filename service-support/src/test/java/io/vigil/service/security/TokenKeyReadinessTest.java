package io.vigil.service.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeyReadinessTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void shouldFindAKeyFileWithOrWithoutTheFilePrefix(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("jwt-public.pem"), "-----BEGIN PUBLIC KEY-----\n");
        assertTrue(TokenKeyReadiness.readable(key.toString(), loader));
        assertTrue(TokenKeyReadiness.readable("file:" + key, loader));
    }

    @Test
    void shouldNotFindAMissingFileOrADirectory(@TempDir Path dir) {
        assertFalse(TokenKeyReadiness.readable(dir.resolve("missing.pem").toString(), loader));
        assertFalse(TokenKeyReadiness.readable(dir.toString(), loader));
        assertFalse(TokenKeyReadiness.readable("file:" + dir.resolve("missing.pem"), loader));
    }

    @Test
    void shouldFindAClassPathResourceAndNotAMissingOne() {
        // beans.xml is on this module's class path (src/main/resources/META-INF)
        assertTrue(TokenKeyReadiness.readable("META-INF/beans.xml", loader));
        assertTrue(TokenKeyReadiness.readable("classpath:META-INF/beans.xml", loader));
        assertFalse(TokenKeyReadiness.readable("classpath:META-INF/no-such-key.pem", loader));
    }

    @Test
    void shouldLeaveAnIdentityProvidersUrlToTheVerifier() {
        assertTrue(TokenKeyReadiness.readable("https://idp.example/keys.pem", loader));
    }
}
