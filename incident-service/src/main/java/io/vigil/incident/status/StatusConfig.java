package io.vigil.incident.status;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The public status page. */
@ConfigMapping(prefix = "vigil.status")
public interface StatusConfig {

    /**
     * Payment regions shown as components {@code payments-<region>} even when no incident names them; a region an
     * incident names is shown as well.
     */
    @WithDefault("us,ca,eu")
    List<String> paymentRegions();

    /** A worse measured state must hold this long before the page shows it. */
    @WithDefault("2m")
    Duration holdBeforeWorse();

    /** A better measured state must hold this long before the page shows it (recoveries are announced carefully). */
    @WithDefault("10m")
    Duration holdBeforeBetter();

    /** How far back the page lists resolved incidents. */
    @WithDefault("14d")
    Duration history();

    /** How often the shown component states are brought up to date; {@code off} disables the schedule. */
    @WithDefault("30s")
    String tickEvery();

    /** Title of the page and the Atom feed. */
    @WithDefault("Vigil payments status")
    String title();
}
