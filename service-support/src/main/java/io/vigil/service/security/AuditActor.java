package io.vigil.service.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is making the change, for audit trails: the verified bearer token's subject ({@code sub}), never anything the
 * caller writes in a header or body. The one place every resource asks, so what "actor" means is decided here.
 */
@ApplicationScoped
public class AuditActor {

    private final SecurityIdentity identity;

    AuditActor(SecurityIdentity identity) {
        this.identity = identity;
    }

    /**
     * @throws IllegalStateException when the request carries no verified token; only reachable from an endpoint that
     *                               forgot its {@code @RolesAllowed}, which the services deny by default
     */
    public String subject() {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token) {
            String subject = token.getSubject();
            if (subject != null && !subject.isBlank()) {
                return subject;
            }
        }
        throw new IllegalStateException("no verified bearer token on this request: the endpoint must require a role");
    }
}
