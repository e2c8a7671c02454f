package io.vigil.incident.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vigil.incident.incident.Severity;

/** The default table (README.md): SEV1 1000 / 100000 / 0.10, SEV2 200 / 20000 / 0.02, SEV3 20 / 2000 / 0.005. */
class SeverityTableTest {

    static final SeverityTable DEFAULT = new SeverityTable(new SeverityTable.Level(1000, 100_000, 0.10),
            new SeverityTable.Level(200, 20_000, 0.02), new SeverityTable.Level(20, 2_000, 0.005), Severity.SEV2);

    @ParameterizedTest(name = "low {0}, money {1}, share {2}, sla {3} -> {4}")
    @CsvSource({
        // seed 000 at 09:00: 120k transactions, harm [1.0, 1.2] pp -> excess [1200, 1440]: SEV1 by the lower bound
        "1200, 102000, 0.015, false, SEV1",
        "999, 0, 0, false, SEV2",          // just under SEV1's count, over SEV2's
        "1000, 0, 0, false, SEV1",         // boundaries are inclusive
        "0, 100000, 0, false, SEV1",
        "0, 0, 0.10, false, SEV1",
        "200, 0, 0, false, SEV2",
        "0, 19999, 0.0199, false, SEV3",
        "19, 1999, 0.0049, false, SEV4",
        "0, 0, 0, true, SEV2",             // an SLA breach alone is SEV2
        "1500, 0, 0, true, SEV1",          // and never lowers a worse level
        "80, 6800, 0.015, false, SEV3",
    })
    void classifiesByTheWorstCriterion(double low, double money, double share, boolean sla, Severity expected) {
        assertEquals(expected, DEFAULT.classify(new Impact(low, low * 2, money, share, sla)));
    }
}
