package io.vigil.incident;

import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.events.v1.ServiceStarted;
import io.vigil.testing.foundation.ServiceFoundationTests;
import io.vigil.testing.quarkus.VigilInfrastructure;

@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "vigil_incident"))
class FoundationTest extends ServiceFoundationTests {

    @Override
    protected String serviceName() {
        return "incident-service";
    }

    @Override
    protected List<String> expectedTables() {
        return List.of("processed_event", "incident", "timeline_entry", "incident_audit", "role_assignment", "decision",
                "mitigation_action", "action_item", "cohort_window", "cohort_alarm", "deploy_marker");
    }

    @Override
    protected String serviceOfStartedEvent(byte[] payload) throws Exception {
        return ServiceStarted.parseFrom(payload).getService();
    }
}
