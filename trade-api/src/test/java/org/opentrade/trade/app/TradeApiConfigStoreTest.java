package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;

/** {@code store.backend}, {@code store.instance_id}, the {@code redis} section and {@code accounts.history_kept} of trade-api.yaml. */
class TradeApiConfigStoreTest {
    private static TradeApiConfig load(Map<String, String> env) {
        return TradeApiConfig.load(ConfigLoader.of(env, Map.of()));
    }

    @Test
    void theFileStoreIsTheDefault() {
        TradeApiConfig c = load(Map.of());
        assertEquals(TradeApiConfig.StoreBackend.FILE, c.store().backend());
        assertEquals(0, c.store().instanceId());
    }

    @Test
    void redisIsChosenWithItsUriAndInstanceAndThePasswordIsNeverPrinted() {
        TradeApiConfig c = load(Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_INSTANCE_ID", "7",
                "OPENTRADE_TRADE_REDIS_URI", "redis://trade:pa55word@10.0.0.5:6380/2"));
        assertEquals(TradeApiConfig.StoreBackend.REDIS, c.store().backend());
        assertEquals(7, c.store().redis().instanceId());
        assertEquals("redis://trade:pa55word@10.0.0.5:6380/2", c.store().redis().uri());
        assertEquals("ot:trade:7:intents", c.store().redis().key("intents"));
        assertFalse(c.toString().contains("pa55word"), c.toString());
        assertTrue(c.toString().contains("redis://***@10.0.0.5:6380/2"), c.toString());
    }

    @Test
    void theIntentRetentionIsADayUnlessSetAndMustBePositive() {
        assertEquals(java.time.Duration.ofHours(24), load(Map.of()).store().intentRetention());
        assertEquals(java.time.Duration.ofMinutes(30),
                load(Map.of("OPENTRADE_TRADE_INTENT_RETENTION", "30m")).store().intentRetention());
        ConfigException zero = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_INTENT_RETENTION", "0s")));
        assertTrue(zero.getMessage().contains("store.intent_retention"), zero.getMessage());
    }

    @Test
    void anUnknownBackendOrABadUriStopsStartUpNamingTheKey() {
        ConfigException backend = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_STORE", "mongo")));
        assertTrue(backend.getMessage().contains("backend"), backend.getMessage());
        ConfigException uri = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_REDIS_URI", "http://u:secret@host/")));
        assertTrue(uri.getMessage().contains("redis.uri"), uri.getMessage());
        assertFalse(uri.getMessage().contains("secret"), uri.getMessage());
    }

    @Test
    void theHistoryKeptPerAccountIsTenThousandUnlessSetWithinItsRange() {
        assertEquals(10_000, load(Map.of()).historyKept());
        assertEquals(500, load(Map.of("OPENTRADE_TRADE_HISTORY_KEPT", "500")).historyKept());
        ConfigException tiny = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_HISTORY_KEPT", "5")));
        assertTrue(tiny.getMessage().contains("accounts.history_kept"), tiny.getMessage());
    }

    @Test
    void theFixPortsConnectionLimitsHaveDefaultsAreKeptByWithFixAndMustBeConsistent() {
        TradeApiConfig.FixSection d = load(Map.of()).fix();
        assertEquals(2_000, d.maxConnections());
        assertEquals(50, d.maxConnectionsPerAddress());
        assertEquals(java.time.Duration.ofSeconds(10), d.logonWithin());
        assertEquals(100, d.maxMessagesPerSecond());
        assertEquals(400, load(Map.of("OPENTRADE_TRADE_FIX_MAX_MESSAGES_PER_SECOND", "400")).fix().maxMessagesPerSecond());
        TradeApiConfig set = load(Map.of("OPENTRADE_TRADE_FIX_MAX_CONNECTIONS", "300",
                "OPENTRADE_TRADE_FIX_MAX_CONNECTIONS_PER_ADDRESS", "300", "OPENTRADE_TRADE_FIX_LOGON_WITHIN", "2s"))
                .withFix(true, "127.0.0.1", 0);
        assertEquals(new TradeApiConfig.FixSection(true, "127.0.0.1", 0, 300, 300, java.time.Duration.ofSeconds(2),
                java.time.LocalTime.of(5, 0), java.time.ZoneId.of("Asia/Shanghai"), 100, 30), set.fix());
        ConfigException perAddress = assertThrows(ConfigException.class, () -> load(Map.of(
                "OPENTRADE_TRADE_FIX_MAX_CONNECTIONS", "10", "OPENTRADE_TRADE_FIX_MAX_CONNECTIONS_PER_ADDRESS", "11")));
        assertTrue(perAddress.getMessage().contains("fix.max_connections_per_address"), perAddress.getMessage());
        ConfigException never = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_FIX_LOGON_WITHIN", "0s")));
        assertTrue(never.getMessage().contains("fix.logon_within"), never.getMessage());
    }

    @Test
    void theFixDayStartsAtFiveInShanghaiUnlessSetOrTurnedOff() {
        assertEquals(java.time.LocalTime.of(5, 0), load(Map.of()).fix().dailyReset());
        assertEquals(java.time.ZoneId.of("Asia/Shanghai"), load(Map.of()).fix().resetZone());
        TradeApiConfig.FixSection set = load(Map.of("OPENTRADE_TRADE_FIX_DAILY_RESET", "21:30",
                "OPENTRADE_TRADE_FIX_DAILY_RESET_ZONE", "America/New_York")).fix();
        assertEquals(java.time.LocalTime.of(21, 30), set.dailyReset());
        assertEquals(java.time.ZoneId.of("America/New_York"), set.resetZone());
        assertEquals(null, load(Map.of("OPENTRADE_TRADE_FIX_DAILY_RESET", "none")).fix().dailyReset());
        ConfigException time = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_FIX_DAILY_RESET", "25:00")));
        assertTrue(time.getMessage().contains("daily_reset"), time.getMessage());
        ConfigException zone = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_TRADE_FIX_DAILY_RESET_ZONE", "Mars/Olympus")));
        assertTrue(zone.getMessage().contains("fix.daily_reset_zone"), zone.getMessage());
    }
}
