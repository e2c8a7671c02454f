package io.vigil.incident.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.vigil.incident.incident.IncidentProblem;

/** Refusals as {@code application/problem+json} (RFC 7807) naming the field; never a stack trace. */
class IncidentProblems {

    private static final Logger LOG = Logger.getLogger(IncidentProblems.class);
    static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    Response invalid(InvalidField e) {
        return build(400, "Invalid request field", e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    Response incident(IncidentProblem e) {
        return build(e.status(), e.status() == 404 ? "Not found" : "Conflict", e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    Response stale(StaleObjectStateException e) {
        return build(409, "Conflict", null, "the incident changed while this request was applied; read it and retry");
    }

    @ServerExceptionMapper
    Response optimistic(jakarta.persistence.OptimisticLockException e) {
        return stale(null);
    }

    /** Jackson's own mapper for this type answers without a problem body; this one names the field. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

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
                + (why == null ? "" : why.substring(0, Math.min(why.length(), 200))));
    }

    /**
     * The JSON reader wraps a body that does not parse at all in a 400 WebApplicationException without a body: give it
     * the problem body; any other WebApplicationException keeps its own response.
     */
    @ServerExceptionMapper
    Response web(jakarta.ws.rs.WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException j) {
            return unreadable(j);
        }
        return e.getResponse();
    }

    @ServerExceptionMapper
    Response database(io.vertx.pgclient.PgException e) {
        LOG.warnf("database error answering a request: %s (SQLSTATE %s)", e.getErrorMessage(), e.getSqlState());
        return build(503, "Incident store unavailable", null, "the incident store could not complete the request");
    }

    static Response build(int status, String title, String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
