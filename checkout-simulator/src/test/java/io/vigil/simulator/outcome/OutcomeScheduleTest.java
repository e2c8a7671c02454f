package io.vigil.simulator.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.OutcomeRecorded;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.eventing.ProtoTime;

class OutcomeScheduleTest {

    @Test
    void shouldReleaseOutcomesWhenTheClockReachesThemInEventTimeOrderPerKey() {
        OutcomeModel model = new OutcomeModel(OutcomeRates.defaults());
        OutcomeSchedule schedule = new OutcomeSchedule();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        SplittableRandom rnd = new SplittableRandom(3);
        int planned = 0;
        for (int i = 0; i < 5_000; i++) {
            Instant paid = start.plusSeconds(i);
            for (PlannedOutcome o : model.plan(paid, Decision.values()[1 + i % 3], i % 5 == 0, "app", 0, rnd.split())) {
                schedule.add(o.at(), OutcomeRecorded.newBuilder().setTransactionId("tx-" + i)
                        .setKind(o.kind()).setOccurredAt(ProtoTime.of(o.at())).build());
                planned++;
            }
        }
        Map<String, Instant> lastPerKey = new HashMap<>();
        int released = 0;
        Instant now = start;
        Instant previous = Instant.MIN;
        for (int step = 0; step < 24 * 200; step++) {
            now = now.plus(Duration.ofHours(1));
            List<OutcomeRecorded> due = schedule.due(now);
            for (OutcomeRecorded o : due) {
                Instant at = ProtoTime.toInstant(o.getOccurredAt());
                assertTrue(!at.isAfter(now), "nothing leaves before the clock reaches it");
                assertTrue(!at.isBefore(previous), "released in event-time order");
                Instant last = lastPerKey.put(o.getTransactionId(), at);
                assertTrue(last == null || !at.isBefore(last), "per key in event-time order");
                previous = at;
                released++;
            }
        }
        assertEquals(planned, released, "every planned outcome is released exactly once within 200 days");
        assertEquals(0, schedule.size());
    }
}
