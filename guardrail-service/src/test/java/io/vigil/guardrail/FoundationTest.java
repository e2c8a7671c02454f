package io.vigil.guardrail;

import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.contracts.events.v1.ServiceStarted;
import io.vigil.testing.foundation.ServiceFoundationTests;
import io.vigil.testing.quarkus.VigilInfrastructure;

@QuarkusTest
@QuarkusTestResource(value = VigilInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "vigil_guardrail"))
class FoundationTest extends ServiceFoundationTests {

    @Override
    protected String serviceName() {
        return "guardrail-service";
    }

    @Override
    protected List<String> expectedTables() {
        return List.of("processed_event", "rollout", "rollout_step", "rollout_sign_off", "rollout_audit", "rollout_verdict",
                "rollout_outbox", "ledger_decision", "ledger_outcome", "monitor_count", "monitor_watermark",
                "monitor_state", "monitor_alarm");
    }

    @Override
    protected String serviceOfStartedEvent(byte[] payload) throws Exception {
        return ServiceStarted.parseFrom(payload).getService();
    }
}
