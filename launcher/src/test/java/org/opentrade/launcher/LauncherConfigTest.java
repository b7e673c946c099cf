package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigLoader;

class LauncherConfigTest {
    @Test
    void theAllInOneListensOnLoopbackOnlyUnlessConfiguredOtherwise() {
        assertEquals("127.0.0.1", LauncherConfig.load(ConfigLoader.of(Map.of(), Map.of())).httpHost());
        assertEquals("127.0.0.1", LauncherConfig.DEFAULT_HOST);
    }

    @Test
    void theEnvironmentExposesTheAllInOneOnEveryInterface() {
        assertEquals("0.0.0.0", LauncherConfig.load(ConfigLoader.of(Map.of("OPENTRADE_HTTP_HOST", "0.0.0.0"), Map.of()))
                .httpHost());
    }
}
