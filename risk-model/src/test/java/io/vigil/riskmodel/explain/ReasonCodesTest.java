package io.vigil.riskmodel.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.riskmodel.catalog.FeatureCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonCodesTest {

    private final ReasonCodes codes = new ReasonCodes(
            List.of("amount", "account_age_days", "unknown_feature", "proxy_ip", "new_device"), FeatureCatalog.standard());

    @Test
    void shouldListStrongestFraudwardContributionsFirst() {
        double[] phi = {0.4, 1.2, -3.0, 0.9, 0.0, -0.5};
        List<Reason> top = codes.top(phi, 2);
        assertEquals(List.of(new Reason("account_age_days", 1.2, "Account opened recently"),
                new Reason("proxy_ip", 0.9, "Connection through a proxy or VPN")), top);
    }

    @Test
    void shouldNeverExplainWithFeaturesThatPushedTowardGenuine() {
        double[] phi = {-0.4, 0.0, 0.3, -0.9, -0.1, 2.0};
        List<Reason> top = codes.top(phi, 3);
        assertEquals(1, top.size());
        assertEquals(new Reason("unknown_feature", 0.3, "unknown_feature"), top.get(0));
    }

    @Test
    void shouldKeepFeatureOrderOnTies() {
        double[] phi = {0.5, 0.5, 0.1, 0.5, 0.7, 0.0};
        int[] idx = new int[3];
        assertEquals(3, codes.topIndices(phi, idx));
        assertEquals(List.of(4, 0, 1), java.util.Arrays.stream(idx).boxed().toList());
    }
}
