package io.vigil.incident.communication;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refused communications requests become {@code application/problem+json} bodies naming the field. */
class CommsProblemMapper {

    @ServerExceptionMapper
    Response problem(CommsProblem e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        return Response.status(e.status()).type("application/problem+json").entity(body).build();
    }
}
