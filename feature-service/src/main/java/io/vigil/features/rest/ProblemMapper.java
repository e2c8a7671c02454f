package io.vigil.features.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

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

    /** Jackson's own mapper for this type answers without a problem body; this one names the field. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    /**
     * A body Jackson cannot read for the resource (malformed, wrongly typed, nested deeper than its 1,000-level limit)
     * is the caller's error: 400 naming the field where Jackson knows it, never a 500.
     */
    @ServerExceptionMapper
    Response unreadable(JsonProcessingException e) {
        String field = "body";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = path.toString();
        }
        String why = e.getOriginalMessage();
        return build(400, "Unreadable request body", field, "request body is not valid JSON for this resource: "
                + (why == null ? "" : why.substring(0, Math.min(why.length(), 200))), null);
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
