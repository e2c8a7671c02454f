package io.vigil.service.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any resource (and so before PostgreSQL or a file path) sees them, path and query values no
 * operation of any Vigil service accepts: control characters (a NUL byte made PostgreSQL fail the statement: a
 * 500), {@code .} / {@code ..} segments and encoded slashes (path traversal), and malformed percent-encoding. 400 with
 * a problem body naming the parameter. Shared by every service that indexes this module (one copy, not one per
 * service).
 */
class UnsafeInputFilter {

    @ServerRequestFilter(preMatching = true)
    Optional<Response> refuseUnsafeInput(ContainerRequestContext request) {
        List<PathSegment> segments;
        Map<String, List<String>> query;
        try {
            segments = request.getUriInfo().getPathSegments(true);
            query = request.getUriInfo().getQueryParameters(true);
        } catch (IllegalArgumentException malformed) {
            return refuse("path", "the request URI is not validly percent-encoded");
        }
        for (PathSegment segment : segments) {
            String s = segment.getPath();
            if (hasControlCharacter(s)) {
                return refuse("path", "a path segment contains a control character");
            }
            if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
                return refuse("path", "a path segment may not be '.', '..' or contain a slash or backslash");
            }
        }
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            String name = param.getKey();
            if (hasControlCharacter(name)) {
                return refuse("query", "a query parameter name contains a control character");
            }
            for (String value : param.getValue()) {
                if (hasControlCharacter(value)) {
                    return refuse(name, name + ": contains a control character");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Response> refuse(String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", "Invalid request field");
        body.put("status", 400);
        body.put("detail", detail);
        body.put("field", field);
        return Optional.of(Response.status(400).type("application/problem+json").entity(body).build());
    }

    static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
