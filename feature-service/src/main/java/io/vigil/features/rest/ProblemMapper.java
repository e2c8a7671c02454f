package io.vigil.features.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vigil.features.contract.InvalidContractException;

/** Refused requests become {@code application/problem+json} bodies (RFC 7807) naming the field. */
class ProblemMapper {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProblemMapper.class);

    static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        return build(e.status(), e.title(), e.field(), e.getMessage(), e.extension());
    }

    @ServerExceptionMapper
    Response invalidContract(InvalidContractException e) {
        return build(400, "Invalid feature contract", e.field(), e.getMessage(), null);
    }

    @ServerExceptionMapper
    Response database(io.vertx.pgclient.PgException e) {
        LOG.warnf("database error answering a request: %s (SQLSTATE %s)", e.getErrorMessage(), e.getSqlState());
        return build(503, "Feature store unavailable", null, "the feature store could not complete the request", null);
    }

    static Response build(int status, String title, String field, String detail, Object extension) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (extension != null) {
            body.put("changes", extension);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
