package io.vigil.cli.token;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.jwt.build.Jwt;

/** Signs bearer tokens the services accept: issuer, subject, one role in {@code groups}, issued-at and expiry. */
public final class Tokens {

    /** The roles the services know (service-support's Roles); a token for anything else would be useless. */
    public static final List<String> ROLES = List.of("viewer", "operator", "admin", "producer", "commander");
    public static final Duration MAX_TTL = Duration.ofDays(30);
    private static final Pattern TTL = Pattern.compile("(\\d{1,6})([smhd])");

    private Tokens() {
    }

    public static String sign(PrivateKey key, String issuer, String role, String subject, Duration ttl, Instant now) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("--role must be one of " + ROLES + ", got '" + role + "'");
        }
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("--sub must name who the token is for (it becomes the audit actor)");
        }
        return Jwt.issuer(issuer).subject(subject).groups(Set.of(role)).issuedAt(now).expiresAt(now.plus(ttl)).sign(key);
    }

    /** {@code 45s}, {@code 30m}, {@code 8h}, {@code 7d}: more than zero and at most {@link #MAX_TTL}. */
    public static Duration parseTtl(String text) {
        Matcher m = TTL.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--ttl: expected a number and a unit (s, m, h, d), e.g. 8h; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration ttl = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl must be above 0 and at most 30d; got '" + text + "'");
        }
        return ttl;
    }
}
