package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;

class MarketApiConfigTest {
    @Test
    void eachInstanceCanKeepItsFeedPositionUnderItsOwnName() {
        assertEquals("market-api", MarketApiConfig.load(ConfigLoader.of(Map.of(), Map.of())).feedConsumer());
        assertEquals("market-api-2", MarketApiConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_MARKET_FEED_CONSUMER", "market-api-2"), Map.of())).feedConsumer());
        ConfigException bad = assertThrows(ConfigException.class, () -> MarketApiConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_MARKET_FEED_CONSUMER", "market api/2"), Map.of())));
        assertTrue(bad.getMessage().contains("server.feed_consumer"), bad.getMessage());
    }
}
