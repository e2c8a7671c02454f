package io.vigil.guardrail.monitor.rest;

/** No monitor has this id (404, naming the field). */
class MonitorNotFoundException extends RuntimeException {

    MonitorNotFoundException(String id) {
        super("no monitor '" + id + "'; GET /monitors lists them");
    }
}
