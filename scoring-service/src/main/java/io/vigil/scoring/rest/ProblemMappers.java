package io.vigil.scoring.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import io.vigil.scoring.model.ModelRegistrationException;
import io.vigil.scoring.model.ModelTooLargeException;
import io.vigil.scoring.policy.PolicyConflictException;
import io.vigil.scoring.policy.PolicyValidationException;

/** Turns domain refusals into problem bodies; nothing from these paths ends as a 500. */
class ProblemMappers {

    @ServerExceptionMapper
    Response invalidPolicy(PolicyValidationException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    Response conflict(PolicyConflictException e) {
        return Problem.response(Response.Status.CONFLICT, e.getMessage(), "version");
    }

    @ServerExceptionMapper
    Response invalidModel(ModelRegistrationException e) {
        return Problem.response(e.conflict() ? Response.Status.CONFLICT : Response.Status.BAD_REQUEST, e.getMessage(),
                e.field());
    }

    @ServerExceptionMapper
    Response tooLarge(ModelTooLargeException e) {
        return Problem.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage(), e.field());
    }

    /** Jackson's own mapper for this type answers without a problem body; this one names the field. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    Response unreadable(JsonProcessingException e) {
        String field = null;
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
        return Problem.response(Response.Status.BAD_REQUEST, "request body is not valid JSON for this resource: "
                + e.getOriginalMessage(), field);
    }
}
