package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigLoader;

class GatewayConfigTest {
    @Test
    void theStandaloneGatewayListensOnLoopbackOnlyUnlessConfiguredOtherwise() {
        assertEquals("127.0.0.1", GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of())).host());
    }

    @Test
    void theEnvironmentExposesTheStandaloneGatewayOnEveryInterface() {
        assertEquals("0.0.0.0", GatewayConfig.load(ConfigLoader.of(Map.of("OPENTRADE_GATEWAY_HOST", "0.0.0.0"), Map.of()))
                .host());
    }
}
