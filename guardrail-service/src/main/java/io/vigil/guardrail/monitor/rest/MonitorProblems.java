package io.vigil.guardrail.monitor.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vigil.guardrail.rollout.rest.Problem;

/** Monitor failures as problem bodies naming the field. */
class MonitorProblems {

    @ServerExceptionMapper
    Response notFound(MonitorNotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, e.getMessage(), "id");
    }

    @ServerExceptionMapper
    Response invalid(InvalidMonitorQueryException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage(), e.field());
    }
}
