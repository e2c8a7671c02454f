package io.vigil.guardrail.analysis.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vigil.guardrail.analysis.InvalidAnalysisException;
import io.vigil.guardrail.rollout.rest.Problem;

/** An analysis asked in a way it cannot be answered: 400 with a problem body naming the field, never a 500. */
class AnalysisProblems {

    @ServerExceptionMapper
    Response invalid(InvalidAnalysisException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage(), e.field());
    }
}
