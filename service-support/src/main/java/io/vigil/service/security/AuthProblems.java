package io.vigil.service.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * 401 and 403 as {@code application/problem+json} bodies like the services' other refusals, with the RFC 6750
 * {@code WWW-Authenticate} challenge on 401. The detail never repeats the token or why its verification failed in
 * detail (a verifier's message can quote claims); the services run with lazy authentication
 * ({@code quarkus.http.auth.proactive=false}) so these failures reach this mapper instead of an empty 401.
 */
class AuthProblems {

    static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    Response missing(UnauthorizedException e) {
        return unauthorized("Bearer realm=\"vigil\"",
                "this call needs a bearer token (Authorization: Bearer <token>); ./bin/vigil token prints one locally");
    }

    @ServerExceptionMapper
    Response invalid(AuthenticationFailedException e) {
        return unauthorized("Bearer realm=\"vigil\", error=\"invalid_token\"",
                "the bearer token is malformed, expired, not yet valid, from another issuer, or not signed by the "
                        + "configured key");
    }

    @ServerExceptionMapper
    Response incomplete(AuthenticationCompletionException e) {
        return invalid(new AuthenticationFailedException());
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        return problem(403, "Forbidden", "the token's role does not allow this call (roles: viewer reads; operator "
                + "changes policies, models, rollouts and the quarantine; admin changes contracts; producer pushes "
                + "features; commander overrides incident severity and resolves incidents)").build();
    }

    private static Response unauthorized(String challenge, String detail) {
        return problem(401, "Unauthorized", detail).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private static Response.ResponseBuilder problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type(PROBLEM_JSON).entity(body);
    }
}
