package io.vigil.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.testing.fuzz.OpenApiFuzzer;
import io.vigil.testing.quarkus.VigilInfrastructure;
import io.vigil.testing.security.TestTokens;

/** Hostile input against every REST operation the service documents (fixed seed, so a failure replays): no 5xx. */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class IncidentFuzzTest {

    @Test
    void shouldAnswerEveryHostileRestRequestWithoutA5xx() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // as a commander, so hostile input reaches every operation including the commander-only ones
        OpenApiFuzzer.Report report = new OpenApiFuzzer("http://127.0.0.1:" + port, 12, 40,
                TestTokens.bearer("commander", "fuzzer")).run();
        System.out.printf("REST fuzz: %d requests over %d operations %s, by status %s%n", report.requests(),
                report.operations().size(), report.operations(), report.byStatus());
        assertTrue(report.operations().size() >= 15, report.operations().toString());
        assertEquals(List.of(), report.findings());
    }
}
