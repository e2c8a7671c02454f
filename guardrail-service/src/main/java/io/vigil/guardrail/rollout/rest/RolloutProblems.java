package io.vigil.guardrail.rollout.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.vigil.guardrail.rollout.plan.PlanValidationException;
import io.vigil.guardrail.rollout.scoring.LineupRefusedException;
import io.vigil.guardrail.rollout.scoring.ScoringUnavailableException;
import io.vigil.guardrail.rollout.state.GuardrailNotFoundException;
import io.vigil.guardrail.rollout.state.IllegalTransitionException;
import io.vigil.guardrail.rollout.state.RolloutConflictException;
import io.vigil.guardrail.rollout.state.RolloutNotFoundException;
import io.vigil.service.rest.JsonBodyErrors;

/** Rollout failures as problem bodies naming the field: never a 500 for what the caller can fix. */
class RolloutProblems {

    @ServerExceptionMapper
    Response invalidPlan(PlanValidationException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    Response notFound(RolloutNotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, e.getMessage(), "id");
    }

    @ServerExceptionMapper
    Response noGuardrail(GuardrailNotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, e.getMessage(), "name");
    }

    @ServerExceptionMapper
    Response conflict(RolloutConflictException e) {
        return Problem.response(Response.Status.CONFLICT, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    Response illegalTransition(IllegalTransitionException e) {
        String field = e.getMessage().startsWith("sign_off") ? "sign_off" : "state";
        return Problem.response(Response.Status.CONFLICT, e.getMessage(), field);
    }

    @ServerExceptionMapper
    Response scoringRefused(LineupRefusedException e) {
        return Problem.response(Response.Status.CONFLICT, e.getMessage(), "lineup");
    }

    @ServerExceptionMapper
    Response scoringUnavailable(ScoringUnavailableException e) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), null);
    }

    /** Jackson's own mapper for this type answers without a problem body; this one names the field. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    /** A body that is not JSON, or nested past the parser's limit, is the caller's to fix: 400, not 500. */
    @ServerExceptionMapper
    Response unreadable(JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, JsonBodyErrors.detail(e), JsonBodyErrors.field(e));
    }

    /** The JSON reader wraps a body that does not parse in a WebApplicationException; others keep their response. */
    @ServerExceptionMapper
    Response web(jakarta.ws.rs.WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException j) {
            return unreadable(j);
        }
        return e.getResponse();
    }
}
