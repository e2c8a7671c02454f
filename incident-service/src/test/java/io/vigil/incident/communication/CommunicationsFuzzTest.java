package io.vigil.incident.communication;

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

/** Hostile input at every operation of the service (as admin, so it reaches the resources): no 5xx on ours. */
@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "vigil_incident"))
class CommunicationsFuzzTest {

    @Test
    void shouldAnswerHostileInputWithoutA5xx() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        OpenApiFuzzer.Report report = new OpenApiFuzzer("http://127.0.0.1:" + port, 12, 40,
                TestTokens.bearer("admin", "fuzz")).run();
        System.out.printf("fuzz: %d requests over %d operations, by status %s%n", report.requests(),
                report.operations().size(), report.byStatus());
        List<OpenApiFuzzer.Finding> ours = report.findings().stream()
                .filter(f -> f.uri().contains("/webhooks") || f.uri().contains("/status")
                        || f.uri().matches(".*/incidents/[^/]*/(updates|update-clocks|drafts).*"))
                .toList();
        assertTrue(report.operations().stream().anyMatch(o -> o.contains("/webhooks/subscribers")),
                report.operations().toString());
        assertTrue(ours.isEmpty(), ours.toString());
    }
}
