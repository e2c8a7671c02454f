package io.vigil.features.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one clock staleness is judged by; a bean so plain tests can hand a fixed clock to the classes that use it. */
@Singleton
class Clocks {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
