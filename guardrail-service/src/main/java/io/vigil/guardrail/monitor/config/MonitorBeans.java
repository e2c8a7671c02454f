package io.vigil.guardrail.monitor.config;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.vigil.guardrail.monitor.MonitorCatalog;
import io.vigil.guardrail.monitor.MonitorRound;

/** The catalog and the round, built once from {@link MonitorConfig} (a wrong cohort or metric stops the start). */
class MonitorBeans {

    @Produces
    @Singleton
    MonitorCatalog catalog(MonitorConfig config) {
        return MonitorCatalog.of(config.cohorts().orElse(MonitorCatalog.DEFAULT_COHORTS),
                config.metrics().orElse(List.of()));
    }

    @Produces
    @Singleton
    MonitorRound round(MonitorCatalog catalog, MonitorConfig config) {
        return new MonitorRound(catalog, config.alpha(), new MonitorRound.BaselineSettings(config.seasonalWeeks(),
                config.trailingHours(), config.minimumBaselineExposure(), config.minuteRetention().toMinutes()));
    }
}
