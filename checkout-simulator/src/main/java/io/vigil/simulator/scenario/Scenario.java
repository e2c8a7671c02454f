package io.vigil.simulator.scenario;

import java.time.Duration;
import java.util.List;

import io.vigil.simulator.outcome.OutcomeRates;

/**
 * A declarative scenario: changes of the world at simulated times, and the outcome rates of its payment systems.
 *
 * @param seed        the incident write-up it replays (e.g. "000"), empty for none
 * @param seedVolume  the payments of the affected cohort the seed saw in its window (a detector's power scales with
 *                    volume; a run at a smaller rate sees fewer); 0 when not stated
 */
public record Scenario(String name, String description, String seed, long seedVolume, OutcomeRates rates,
        List<ScenarioChange> changes) {

    public Scenario {
        changes = List.copyOf(changes);
    }

    /** The world at {@code sinceStart} of simulated time: every change at or before it, in order. */
    public World worldAt(Duration sinceStart) {
        World w = World.BASELINE;
        for (ScenarioChange c : changes) {
            if (c.at().compareTo(sinceStart) <= 0) {
                w = w.apply(c);
            }
        }
        return w;
    }
}
