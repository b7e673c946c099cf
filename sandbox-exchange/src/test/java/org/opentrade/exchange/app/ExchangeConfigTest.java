package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.sim.SimulatorOptions;

class ExchangeConfigTest {

    private static ExchangeConfig load(Map<String, String> env) {
        return ExchangeConfig.load(ConfigLoader.of(env, Map.of()));
    }

    private static ExchangeConfig loadWith(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("exchange-override.yaml");
        Files.writeString(f, yaml);
        return ExchangeConfig.load(ConfigLoader.of(Map.of(), Map.of(ExchangeConfig.OVERRIDE_PROPERTY, f.toString())));
    }

    @Test
    void shippedDefaultsMatchTheDocumentedValues() {
        ExchangeConfig c = load(Map.of());
        assertEquals(1, c.shards());
        assertEquals(Path.of("./data/exchange"), c.dataDir());
        assertEquals(FsyncPolicy.BATCH, c.fsync());
        assertEquals(16_384, c.ringSize());
        assertEquals(100_000, c.snapshotEveryCommands());
        assertEquals(Duration.ofSeconds(1), c.timeTick());
        assertEquals(ExchangeConfig.CalendarType.CONTINUOUS, c.calendar());
        assertEquals(LocalTime.of(15, 0), c.dayEnd());
        assertNull(c.instrumentsFile());
        assertEquals(SimulatorOptions.defaults(), c.simulator());
        assertEquals(Duration.ofMillis(100), c.simulatorStep());
        assertInstanceOf(ContinuousCalendar.class, c.tradingCalendar());
    }

    @Test
    void environmentVariablesOverrideTheirKeys() {
        ExchangeConfig c = load(Map.of("OPENTRADE_EXCHANGE_SHARDS", "2", "OPENTRADE_EXCHANGE_DATA_DIR", "/tmp/x",
                "OPENTRADE_EXCHANGE_FSYNC", "none", "OPENTRADE_SIMULATOR_ENABLED", "false",
                "OPENTRADE_EXCHANGE_CALENDAR", "a-share", "OPENTRADE_EXCHANGE_DAY_END", "21:30"));
        assertEquals(2, c.shards());
        assertEquals(LocalTime.of(21, 30), c.dayEnd());
        assertEquals(Path.of("/tmp/x"), c.dataDir());
        assertEquals(FsyncPolicy.NONE, c.fsync());
        assertEquals(false, c.simulator().enabled());
        assertInstanceOf(AShareCalendar.class, c.tradingCalendar());
    }

    @Test
    void failoverIsOffByDefaultAndItsGroupNamesTheOwnedShards() {
        ExchangeConfig off = load(Map.of());
        assertEquals(false, off.failover().enabled());
        assertEquals("shards-all", off.failoverGroup());
        ExchangeConfig on = load(Map.of("OPENTRADE_EXCHANGE_FAILOVER", "true", "OPENTRADE_EXCHANGE_SHARDS", "4",
                "OPENTRADE_EXCHANGE_OWNED_SHARDS", "2,0"));
        assertEquals(true, on.failover().enabled());
        assertEquals("shards-0-2", on.failoverGroup());
        assertEquals(Duration.ofSeconds(1), on.failover().replicationTimeout());
        assertEquals(Duration.ofSeconds(3), on.failover().lockWait());
        assertEquals(Duration.ofSeconds(60), on.failover().catchUpTimeout());
        assertEquals("pair-a", load(Map.of("OPENTRADE_EXCHANGE_FAILOVER_GROUP", "pair-a")).failoverGroup());
        assertEquals(ExchangeConfig.FAILOVER_CP_PRIORITY, on.cluster().cp().priority(),
                "a failover exchange leaves the CP groups' lead to other members");
        assertEquals(0, off.cluster().cp().priority());
    }

    @Test
    void aConfiguredCpPriorityIsKeptWithFailover(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ExchangeConfig c = loadWith(dir, "failover:\n  enabled: true\ncluster:\n  cp:\n    members: 3\n    priority: 2\n");
        assertEquals(true, c.failover().enabled());
        assertEquals(2, c.cluster().cp().priority());
    }

    @Test
    void failoverNeedsADataDirAndAUsableGroupName() {
        ConfigException noDir = assertThrows(ConfigException.class, () -> load(Map.of(
                "OPENTRADE_EXCHANGE_FAILOVER", "true", "OPENTRADE_EXCHANGE_DATA_DIR", "")));
        assertTrue(noDir.getMessage().contains("failover.enabled"), noDir.getMessage());
        ConfigException badGroup = assertThrows(ConfigException.class, () -> load(Map.of(
                "OPENTRADE_EXCHANGE_FAILOVER_GROUP", "a/b")));
        assertTrue(badGroup.getMessage().contains("failover.group"), badGroup.getMessage());
    }

    @Test
    void standaloneSectionsDefaultToTheLoopbackAndNoExport() {
        ExchangeConfig c = load(Map.of());
        assertEquals(new ExchangeConfig.Operations("127.0.0.1", 8083), c.operations());
        assertEquals("sandbox-exchange", c.tracing().getServiceName());
        assertEquals(false, c.tracing().isExporting());
        assertEquals(ClusterConfig.defaults(), c.cluster());
    }

    @Test
    void standaloneSectionsTakeTheirEnvironmentVariables() {
        ExchangeConfig c = load(Map.of("OPENTRADE_EXCHANGE_OPERATIONS_PORT", "0", "OPENTRADE_ZIPKIN_ENDPOINT",
                "http://127.0.0.1:9411/api/v2/spans", "OPENTRADE_CLUSTER_MEMBERS", "127.0.0.1:15701,127.0.0.1:15702",
                "OPENTRADE_CLUSTER_PORT", "15701", "OPENTRADE_CLUSTER_NAME", "ot-x"));
        assertEquals(0, c.operations().port());
        assertEquals("http://127.0.0.1:9411/api/v2/spans", c.tracing().getZipkinEndpoint());
        assertEquals(List.of("127.0.0.1:15701", "127.0.0.1:15702"), c.cluster().members());
        assertEquals(15701, c.cluster().port());
        assertEquals("ot-x", c.cluster().name());
    }

    @Test
    void aBadClusterValueStopsStartUpNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("OPENTRADE_CLUSTER_HOST", "example")));
        assertTrue(e.getMessage().contains("cluster") && e.getMessage().contains("host 'example'"), e.getMessage());
    }

    @Test
    void emptyDataDirRunsWithoutAJournal() {
        assertNull(load(Map.of("OPENTRADE_EXCHANGE_DATA_DIR", "")).dataDir());
    }

    @Test
    void aShareCalendarTakesItsHolidays(@TempDir Path dir) throws Exception {
        ExchangeConfig c = loadWith(dir, "calendar:\n  type: a-share\n  holidays: [2026-10-01, 2026-10-02]\n"
                + "simulator:\n  disabled_symbols: 600519.SH, 000001.SZ\n  orders_per_second: 2\n");
        assertEquals(ExchangeConfig.CalendarType.A_SHARE, c.calendar());
        AShareCalendar cal = (AShareCalendar) c.tradingCalendar();
        assertTrue(!cal.isTradingDay(LocalDate.of(2026, 10, 1)) && cal.isTradingDay(LocalDate.of(2026, 10, 9)));
        assertEquals(Set.of("600519.SH", "000001.SZ"), c.simulator().disabledSymbols());
        assertEquals(2.0, c.simulator().ordersPerSecond());
        c.validateAgainst(UniverseFile.loadDefault());
    }

    @Test
    void badFsyncNamesTheKeyAndTheAllowedValues() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("OPENTRADE_EXCHANGE_FSYNC", "always")));
        assertTrue(e.getMessage().startsWith("config key 'exchange.fsync' has value 'always'; allowed: one of "
                + "[none, batch]"), e.getMessage());
    }

    @Test
    void badCalendarNamesTheAllowedValues() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("OPENTRADE_EXCHANGE_CALENDAR", "nyse")));
        assertTrue(e.getMessage().contains("'calendar.type'") && e.getMessage().contains("[continuous, a-share]"),
                e.getMessage());
    }

    @Test
    void ringSizeMustBeAPowerOfTwo(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> loadWith(dir, "exchange:\n  ring_size: 1000\n"));
        assertTrue(e.getMessage().contains("'exchange.ring_size'") && e.getMessage().contains("power of two"),
                e.getMessage());
    }

    @Test
    void outOfRangeSimulatorValueIsRefused(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> loadWith(dir, "simulator:\n  levels: 0\n"));
        assertTrue(e.getMessage().contains("'simulator.levels'") && e.getMessage().contains("1..20"), e.getMessage());
    }

    @Test
    void misspeltKeyFailsStartUp(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> loadWith(dir, "exchange:\n  shard: 2\n"));
        assertTrue(e.getMessage().contains("exchange.shard"), e.getMessage());
    }

    @Test
    void badTimeZoneAndDurationAreRefused(@TempDir Path dir) {
        assertTrue(assertThrows(ConfigException.class, () -> loadWith(dir, "calendar:\n  zone: Mars/Base\n"))
                .getMessage().contains("'calendar.zone'"));
        assertTrue(assertThrows(ConfigException.class, () -> loadWith(dir, "exchange:\n  time_tick: 0s\n"))
                .getMessage().contains("'exchange.time_tick'"));
    }

    @Test
    void disabledSymbolOutsideTheUniverseIsRefused(@TempDir Path dir) throws Exception {
        ExchangeConfig c = loadWith(dir, "simulator:\n  disabled_symbols: [AAPL]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> c.validateAgainst(UniverseFile.loadDefault()));
        assertTrue(e.getMessage().contains("'simulator.disabled_symbols'") && e.getMessage().contains("AAPL"),
                e.getMessage());
    }
}
