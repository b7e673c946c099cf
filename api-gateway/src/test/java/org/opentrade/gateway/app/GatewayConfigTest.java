package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import io.vertx.core.transport.Transport;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.net.NetTransport;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;

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

    @Test
    void allowedHostsAreNoneByDefaultAndACommaSeparatedListFromTheEnvironment() {
        assertEquals(java.util.List.of(), GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of())).allowedHosts());
        assertEquals(java.util.List.of("api.example.com", "192.0.2.10", "[2001:db8::1]"), GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_GATEWAY_ALLOWED_HOSTS", "api.example.com, 192.0.2.10,[2001:db8::1]"), Map.of())).allowedHosts());
        for (String bad : new String[] {"https://api.example.com", "api.example.com:443", "*", "api.example.com/x"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(ConfigLoader.of(
                    Map.of("OPENTRADE_GATEWAY_ALLOWED_HOSTS", bad), Map.of())), bad);
            assertTrue(e.getMessage().contains("gateway.allowed_hosts"), e.getMessage());
        }
    }

    @Test
    void theStandaloneGatewayJoinsTheClusterOnlyWhenAskedTo() {
        GatewayConfig alone = GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of()));
        assertEquals(GatewayConfig.EventBusMode.LOCAL, alone.eventBus());
        assertEquals(ClusterConfig.defaults(), alone.cluster());
        GatewayConfig clustered = GatewayConfig.load(ConfigLoader.of(Map.of("OPENTRADE_GATEWAY_EVENT_BUS", "cluster",
                "OPENTRADE_CLUSTER_MEMBERS", "127.0.0.1:15701", "OPENTRADE_CLUSTER_PORT", "15703"), Map.of()));
        assertEquals(GatewayConfig.EventBusMode.CLUSTER, clustered.eventBus());
        assertEquals(java.util.List.of("127.0.0.1:15701"), clustered.cluster().members());
        assertEquals(15703, clustered.cluster().port());
    }

    @Test
    void theTransportIsChosenByTheKernelUnlessNamedAndAnUnknownNameStopsStartUp() {
        assertEquals(NetTransport.AUTO, GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of())).transport());
        assertEquals(NetTransport.IO_URING, GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_GATEWAY_TRANSPORT", "io_uring"), Map.of())).transport());
        assertEquals(NetTransport.NIO, GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_GATEWAY_TRANSPORT", "nio"), Map.of())).transport());
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_GATEWAY_TRANSPORT", "uring"), Map.of())));
        assertTrue(e.getMessage().contains("gateway.transport"), e.getMessage());
    }

    @Test
    void theGatewayCarriesNettysIoUringTransportAndAutoPrefersIt() {
        // The jar ships io_uring beside epoll; where the kernel allows it, auto takes it (the bench's figures).
        org.junit.jupiter.api.Assertions.assertNotNull(Transport.IO_URING, "Netty's io_uring jar is not on the class path");
        Transport auto = NetTransport.AUTO.resolve();
        boolean newKernel = java.util.regex.Pattern.compile("^(5\\.(1[2-9]|[2-9]\\d)|[6-9]\\.|\\d{2,}\\.)")
                .matcher(System.getProperty("os.version")).find();
        assertEquals(Transport.IO_URING.available() && newKernel ? Transport.IO_URING
                : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO, auto);
    }

    @Test
    void theIdentityKeyLivesInTheDataDirectoryAndAssertionsLiveThirtySecondsByDefault() {
        GatewayConfig c = GatewayConfig.load(ConfigLoader.of(Map.of("OPENTRADE_GATEWAY_DATA_DIR", "/srv/gw"), Map.of()));
        assertEquals(Path.of("/srv/gw/identity-ed25519.pem"), c.identityKeyFile());
        assertEquals(Duration.ofSeconds(30), c.assertionTtl());
        assertEquals(Path.of("/keys/id.pem"), GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_IDENTITY_KEY_FILE", "/keys/id.pem"), Map.of())).identityKeyFile());
    }

    @Test
    void aGracefulStopServesTwoSecondsOfNoticeAndWaitsTenAtMostUnlessConfigured(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        GatewayConfig c = GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of()));
        assertEquals(new org.opentrade.gateway.adapter.http.GracefulStop.Options(Duration.ofSeconds(2),
                Duration.ofSeconds(10)), c.shutdown());
        Path f = dir.resolve("stop.yaml");
        Files.writeString(f, "gateway:\n  shutdown_notice: 0s\n  shutdown_grace: 30s\n");
        assertEquals(new org.opentrade.gateway.adapter.http.GracefulStop.Options(Duration.ZERO, Duration.ofSeconds(30)),
                GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of(GatewayConfig.OVERRIDE_PROPERTY, f.toString())))
                        .shutdown());
        for (String bad : new String[] {"shutdown_notice: 6m", "shutdown_grace: 0s"}) {
            Path b = dir.resolve("bad.yaml");
            Files.writeString(b, "gateway:\n  " + bad + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(
                    ConfigLoader.of(Map.of(), Map.of(GatewayConfig.OVERRIDE_PROPERTY, b.toString()))));
            assertTrue(e.getMessage().contains("gateway." + bad.split(":")[0]), e.getMessage());
        }
    }

    @Test
    void theFirstFrameTimeoutIsFiveSecondsUnlessConfiguredWithinOneToSixty(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertEquals(Duration.ofSeconds(5), GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of())).firstFrameTimeout());
        Path f = dir.resolve("ff.yaml");
        Files.writeString(f, "auth:\n  first_frame_timeout: 12s\n");
        assertEquals(Duration.ofSeconds(12), GatewayConfig.load(ConfigLoader.of(Map.of(),
                Map.of(GatewayConfig.OVERRIDE_PROPERTY, f.toString()))).firstFrameTimeout());
        for (String bad : new String[] {"500ms", "61s"}) {
            Path b = dir.resolve("ff-" + bad + ".yaml");
            Files.writeString(b, "auth:\n  first_frame_timeout: " + bad + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(
                    ConfigLoader.of(Map.of(), Map.of(GatewayConfig.OVERRIDE_PROPERTY, b.toString()))));
            assertTrue(e.getMessage().contains("auth.first_frame_timeout"), e.getMessage());
        }
    }

    @Test
    void aSessionLastsTwelveHoursFromItsLogInUnlessConfiguredBetweenItsTtlAndThirtyDays(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertEquals(Duration.ofHours(12), GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of())).sessionMaxAge());
        for (String bad : new String[] {"session_ttl: 15m\n  session_max_age: 10m", "session_max_age: 31d"}) {
            Path b = dir.resolve("max-age-" + bad.length() + ".yaml");
            Files.writeString(b, "auth:\n  " + bad + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(
                    ConfigLoader.of(Map.of(), Map.of(GatewayConfig.OVERRIDE_PROPERTY, b.toString()))));
            assertTrue(e.getMessage().contains("auth.session_max_age"), e.getMessage());
        }
    }

    @Test
    void anAssertionLifetimeOutsideTwoSecondsToTenMinutesStopsStartUpNamingTheKey(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        for (String ttl : new String[] {"1s", "11m"}) {
            Path f = dir.resolve("bad-" + ttl + ".yaml");
            Files.writeString(f, "identity:\n  assertion_ttl: " + ttl + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(
                    ConfigLoader.of(Map.of(), Map.of(GatewayConfig.OVERRIDE_PROPERTY, f.toString()))));
            assertTrue(e.getMessage().contains("identity.assertion_ttl"), e.getMessage());
        }
    }

    @Test
    void aReserveForOrdersNotBelowTheLoopsBoundStopsStartUpNamingTheKey(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        GatewayConfig defaults = GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of()));
        assertEquals(1000, defaults.overload().maxInFlightPerEventLoop());
        assertEquals(100, defaults.overload().inFlightReservedForOrders());
        Path f = dir.resolve("bad-reserve.yaml");
        Files.writeString(f, "gateway:\n  max_in_flight_per_event_loop: 10\n  in_flight_reserved_for_orders: 10\n");
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(
                ConfigLoader.of(Map.of(), Map.of(GatewayConfig.OVERRIDE_PROPERTY, f.toString()))));
        assertTrue(e.getMessage().contains("gateway.in_flight_reserved_for_orders"), e.getMessage());
    }

    @Test
    void clusterDiscoveryGivesEveryServiceAPoolWithoutTargets() {
        GatewayConfig statics = GatewayConfig.load(ConfigLoader.of(Map.of(), Map.of()));
        assertTrue(statics.upstreams().isEmpty(), "no targets, no static pools: " + statics.upstreams());
        assertEquals(false, statics.discoversUpstreams());

        GatewayConfig c = GatewayConfig.load(ConfigLoader.of(Map.of("OPENTRADE_UPSTREAM_DISCOVERY", "cluster"), Map.of()));
        assertEquals(java.util.Set.of("market-api", "trade-api"), c.upstreams().keySet());
        c.upstreams().values().forEach(o -> {
            assertEquals(UpstreamPoolOptions.Discovery.CLUSTER, o.getDiscovery());
            assertTrue(o.getTargets().isEmpty());
        });
        assertTrue(c.discoversUpstreams());
    }

    @Test
    void targetsWithClusterDiscoveryOrAnUnknownDiscoveryStopStartUpNamingTheKey() {
        ConfigException both = assertThrows(ConfigException.class, () -> GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_UPSTREAM_DISCOVERY", "cluster", "OPENTRADE_MARKET_API_TARGETS", "10.0.0.1:8081"),
                Map.of())));
        assertTrue(both.getMessage().contains("upstreams.market-api.targets"), both.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_UPSTREAM_DISCOVERY", "consul"), Map.of())));
        assertTrue(unknown.getMessage().contains("upstreams.discovery") || unknown.getMessage().contains("discovery"),
                unknown.getMessage());
        assertTrue(unknown.getMessage().contains("cluster"), unknown.getMessage());
    }
    @Test
    void theUpstreamPingIntervalOfStreamsIsFiveSecondsUnlessAPoolSetsItsOwn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("ping.yaml");
        Files.writeString(f, "upstreams:\n  market-api:\n    ws_upstream_ping_interval: 1s\n");
        GatewayConfig c = GatewayConfig.load(ConfigLoader.of(Map.of("OPENTRADE_UPSTREAM_DISCOVERY", "cluster"),
                Map.of(GatewayConfig.OVERRIDE_PROPERTY, f.toString())));
        assertEquals(Duration.ofSeconds(1), c.upstreams().get("market-api").getWsUpstreamPingInterval());
        assertEquals(UpstreamPoolOptions.DEFAULT_WS_UPSTREAM_PING_INTERVAL,
                c.upstreams().get("trade-api").getWsUpstreamPingInterval());
        assertEquals(Duration.ofSeconds(5), UpstreamPoolOptions.DEFAULT_WS_UPSTREAM_PING_INTERVAL);

        Path zero = dir.resolve("zero.yaml");
        Files.writeString(zero, "upstreams:\n  market-api:\n    ws_upstream_ping_interval: 0s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(ConfigLoader.of(
                Map.of("OPENTRADE_UPSTREAM_DISCOVERY", "cluster"), Map.of(GatewayConfig.OVERRIDE_PROPERTY, zero.toString()))));
        assertTrue(e.getMessage().contains("upstreams.market-api.ws_upstream_ping_interval"), e.getMessage());
    }
}
