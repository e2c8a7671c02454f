package io.vigil.service.security;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready without a key to verify bearer tokens with. SmallRye JWT reads the key only when the first token arrives,
 * so a mistyped {@code VIGIL_JWT_PUBLIC_KEY} would otherwise show only as every operator getting 401; this way
 * {@code bin/vigil up} and a Kubernetes readiness probe name the problem at start.
 */
@Readiness
@ApplicationScoped
class TokenKeyReadiness implements HealthCheck {

    static final String NAME = "Bearer token verification key";

    private final Optional<String> location;
    private final Optional<String> inlineKey;

    TokenKeyReadiness(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inlineKey) {
        this.location = location;
        this.inlineKey = inlineKey;
    }

    @Override
    public HealthCheckResponse call() {
        if (inlineKey.isPresent()) {
            return HealthCheckResponse.named(NAME).up().withData("source", "mp.jwt.verify.publickey").build();
        }
        String where = location.orElse("(mp.jwt.verify.publickey.location not set)");
        boolean readable = location.isPresent() && readable(location.get(), getClass().getClassLoader());
        return HealthCheckResponse.named(NAME).status(readable).withData("location", where).build();
    }

    /**
     * Whether SmallRye JWT can read a key at {@code location}: a readable file ({@code file:} prefix optional), a
     * class path resource ({@code classpath:} prefix optional), or an http(s) URL (fetched by the verifier; not
     * checked here, so an identity provider's restart does not make every service unready).
     */
    static boolean readable(String location, ClassLoader classLoader) {
        String l = location.trim();
        if (l.startsWith("http://") || l.startsWith("https://")) {
            return true;
        }
        if (l.startsWith("classpath:")) {
            return classLoader.getResource(l.substring("classpath:".length())) != null;
        }
        String file = l.startsWith("file:") ? l.substring("file:".length()) : l;
        try {
            if (Files.isReadable(Path.of(file)) && Files.isRegularFile(Path.of(file))) {
                return true;
            }
        } catch (InvalidPathException e) {
            return false;
        }
        return classLoader.getResource(l) != null;
    }
}
