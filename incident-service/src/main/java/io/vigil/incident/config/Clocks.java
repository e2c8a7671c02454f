package io.vigil.incident.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The service's one wall clock (the incident half and the communications half share it). Only bookkeeping reads it
 * (recorded_at, audit times, due dates); windows, grouping, severity hysteresis and timelines run on event time.
 * Tests replace it with an alternative bean.
 */
@Singleton
public class Clocks {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
