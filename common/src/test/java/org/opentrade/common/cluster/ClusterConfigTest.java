package org.opentrade.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.config.cp.RaftAlgorithmConfig;
import com.hazelcast.internal.config.ConfigValidator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;

class ClusterConfigTest {

    private static ClusterConfig read(String yaml) {
        return read(yaml, Map.of());
    }

    private static ClusterConfig read(String yaml, Map<String, String> env) {
        return ClusterConfig.fromConfig(ConfigLoader.of(env, Map.of()).fromText(yaml, "test.yaml").section("cluster"));
    }

    @Test
    void anEmptySectionJoinsTheLoopbackOnly() {
        ClusterConfig c = read("other: 1\n");
        assertEquals(ClusterConfig.defaults(), c);
        assertEquals("127.0.0.1", c.host());
        assertEquals("127.0.0.1", c.publicHost(), "the public host defaults to the bind host");
        assertEquals(List.of("127.0.0.1"), c.members());
        assertEquals(5701, c.port());
        assertEquals(0, c.eventBusPort());
    }

    @Test
    void environmentPlaceholdersAndCommaSeparatedMembersAreRead() {
        ClusterConfig c = read("""
                cluster:
                  name: ${OPENTRADE_CLUSTER_NAME:opentrade}
                  members: ${OPENTRADE_CLUSTER_MEMBERS:127.0.0.1}
                  port: ${OPENTRADE_CLUSTER_PORT:5701}
                  port_auto_increment: false
                  member_timeout: 5s
                  event_bus_port: 17001
                """, Map.of("OPENTRADE_CLUSTER_NAME", "ot-test", "OPENTRADE_CLUSTER_MEMBERS",
                "127.0.0.1:15701, 127.0.0.1:15702", "OPENTRADE_CLUSTER_PORT", "15702"));
        assertEquals("ot-test", c.name());
        assertEquals(List.of("127.0.0.1:15701", "127.0.0.1:15702"), c.members());
        assertEquals(15702, c.port());
        assertFalse(c.portAutoIncrement());
        assertEquals(Duration.ofSeconds(5), c.memberTimeout());
        assertEquals(17001, c.eventBusPort());
    }

    @Test
    void badValuesNameTheirKey() {
        assertMessage("cluster.port", "cluster:\n  port: 70000\n");
        assertMessage("members entry '127.0.0.1:0'", "cluster:\n  members: 127.0.0.1:0\n");
        assertMessage("members entry 'a b'", "cluster:\n  members: [a b]\n");
        assertMessage("host 'localhost'", "cluster:\n  host: localhost\n");
        assertMessage("member_timeout", "cluster:\n  member_timeout: 1s\n");
        assertMessage("name 'a/b'", "cluster:\n  name: a/b\n");
    }

    /** Found in review: a LAN address without TLS served a plain event bus, with an INFO line as the only hint. */
    @Test
    void anEventBusBeyondLoopbackInPlainTextIsRefusedUnlessAllowed() {
        assertMessage("plain text", "cluster:\n  host: 10.1.2.3\n");
        assertMessage("allow_plaintext", "cluster:\n  host: 0.0.0.0\n  public_host: 10.1.2.3\n");
        assertEquals("10.1.2.3", read("cluster:\n  host: 10.1.2.3\n  allow_plaintext: true\n").host());
        assertEquals("127.0.0.2", read("cluster:\n  host: 127.0.0.2\n").host(), "loopback needs no TLS");
    }

    @Test
    void everyInterfaceNeedsAnAddressTheOthersCanReach() {
        assertMessage("public_host is required", "cluster:\n  host: 0.0.0.0\n");
        ClusterConfig c = read("cluster:\n  host: 0.0.0.0\n  public_host: 10.1.2.3\n  allow_plaintext: true\n");
        assertEquals("10.1.2.3", c.publicHost());
    }

    @Test
    void hazelcastJoinsByTheMemberListOnlyAndBindsTheConfiguredInterface() {
        ClusterConfig c = read("cluster:\n  name: ot\n  members: 127.0.0.1:15701,127.0.0.1:15702\n  port: 15702\n"
                + "  port_auto_increment: false\n  member_timeout: 10s\n");
        com.hazelcast.config.Config hz = ClusteredVertx.hazelcastConfig(c);
        assertEquals("ot", hz.getClusterName());
        NetworkConfig net = hz.getNetworkConfig();
        JoinConfig join = net.getJoin();
        assertFalse(join.getMulticastConfig().isEnabled(), "multicast is off");
        assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection is off");
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("127.0.0.1:15701", "127.0.0.1:15702"), join.getTcpIpConfig().getMembers());
        assertEquals(15702, net.getPort());
        assertFalse(net.isPortAutoIncrement());
        assertTrue(net.getInterfaces().isEnabled());
        assertEquals(List.of("127.0.0.1"), List.copyOf(net.getInterfaces().getInterfaces()));
        assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"), "never every interface by default");
        assertEquals("false", hz.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("false", hz.getProperty("hazelcast.shutdownhook.enabled"),
                "the service's own hook leaves the cluster after draining");
        assertEquals("10", hz.getProperty("hazelcast.max.no.heartbeat.seconds"));
        assertEquals("5", hz.getProperty("hazelcast.max.wait.seconds.before.join"), "a burst of members joins in seconds");
        assertEquals("20", hz.getProperty("hazelcast.partition.migration.timeout"),
                "an unanswered partition migration is planned again within seconds, not Hazelcast's 5 minutes");
        assertTrue(hz.getMultiMapConfigs().containsKey("__vertx.subs"), "Vert.x's own maps are kept");
        assertEquals(null, net.getPublicAddress(), "no public address when it is the bind host");
    }

    @Test
    void hazelcastDeserializesOnlyItsOwnAndTheJdksClassesAndRunsNoForeignCode() {
        com.hazelcast.config.Config hz = ClusteredVertx.hazelcastConfig(ClusterConfig.defaults());
        JavaSerializationFilterConfig filter = hz.getSerializationConfig().getJavaSerializationFilterConfig();
        assertNotNull(filter, "a Java deserialization filter is set");
        assertFalse(filter.isDefaultsDisabled(), "the defaults (java*, com.hazelcast., arrays) are the allow-list");
        assertTrue(filter.getWhitelist().isEmpty(), "nothing else is allowed");
        assertFalse(hz.getJetConfig().isEnabled(), "no Jet jobs");
        assertFalse(hz.getJetConfig().isResourceUploadEnabled(), "no uploaded job code");
        assertFalse(hz.getUserCodeDeploymentConfig().isEnabled(), "no user-code deployment");
        assertFalse(hz.getNetworkConfig().getRestApiConfig().isEnabled(), "no REST endpoint");
        assertFalse(hz.getNetworkConfig().getMemcacheProtocolConfig().isEnabled(), "no Memcache endpoint");
    }

    @Test
    void everyInterfaceBindsAnyAndAnnouncesThePublicHost() {
        ClusterConfig c = read("cluster:\n  host: 0.0.0.0\n  public_host: 10.1.2.3\n  event_bus_port: 17001\n"
                + "  allow_plaintext: true\n");
        com.hazelcast.config.Config hz = ClusteredVertx.hazelcastConfig(c);
        assertEquals("true", hz.getProperty("hazelcast.socket.bind.any"));
        assertEquals("10.1.2.3", hz.getNetworkConfig().getPublicAddress());
        VertxOptions options = ClusteredVertx.withEventBus(new VertxOptions(), c);
        assertEquals("0.0.0.0", options.getEventBusOptions().getHost());
        assertEquals(17001, options.getEventBusOptions().getPort());
        assertEquals("10.1.2.3", options.getEventBusOptions().getClusterPublicHost());
    }

    @Test
    void theCpSubsystemIsOffUnlessMembersAreGiven() {
        ClusterConfig c = read("cluster:\n  cp:\n    session_ttl: 3s\n");
        assertFalse(c.cp().enabled());
        assertEquals(ClusterCp.OFF, ClusterConfig.defaults().cp());
        assertEquals(ClusterCp.OFF, new ClusterConfig("ot", List.of("127.0.0.1"), "127.0.0.1", null, 5701, true,
                Duration.ofSeconds(15), 0).cp(), "the older constructors keep working, without CP");
        assertEquals(0, ClusteredVertx.hazelcastConfig(c).getCPSubsystemConfig().getCPMemberCount(),
                "Hazelcast's CP subsystem stays off");
    }

    @Test
    void theCpSectionIsReadWithDefaultsForTheSessionTimings() {
        ClusterConfig c = read("cluster:\n  cp:\n    members: ${OPENTRADE_CLUSTER_CP_MEMBERS:0}\n",
                Map.of("OPENTRADE_CLUSTER_CP_MEMBERS", "3"));
        assertEquals(new ClusterCp(3, Duration.ofSeconds(2), Duration.ofSeconds(1)), c.cp());
        ClusterCp five = read("cluster:\n  cp:\n    members: 5\n    session_ttl: 10s\n    session_heartbeat: 3s\n").cp();
        assertEquals(5, five.members());
        assertEquals(Duration.ofSeconds(10), five.sessionTtl());
        assertEquals(Duration.ofSeconds(3), five.sessionHeartbeat());
        assertEquals(Duration.ofMinutes(1), five.missingMemberAutoRemoval(), "the default removal delay");
        assertEquals(Duration.ofSeconds(20), read("cluster:\n  cp:\n    members: 3\n    missing_member_auto_removal: 20s\n")
                .cp().missingMemberAutoRemoval());
        assertEquals(0, c.cp().priority(), "every member's claim to lead the CP groups is equal by default");
        assertEquals(-3, read("cluster:\n  cp:\n    members: 3\n    priority: -3\n").cp().priority());
        assertEquals(new ClusterCp(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1), 2),
                c.cp().withPriority(2), "withPriority changes the priority only");
        assertEquals(c.cp(), c.withTls(ClusterTls.OFF).cp(), "withTls keeps the CP settings");
        assertEquals(five, ClusterConfig.defaults().withCp(five).cp());
    }

    @Test
    void badCpValuesNameTheirKey() {
        assertMessage("cp.members 2", "cluster:\n  cp:\n    members: 2\n");
        assertMessage("cluster.cp.members", "cluster:\n  cp:\n    members: 8\n");
        assertMessage("cp.session_ttl", "cluster:\n  cp:\n    members: 3\n    session_ttl: 1s\n");
        assertMessage("cp.session_ttl", "cluster:\n  cp:\n    members: 3\n    session_ttl: 2500ms\n");
        assertMessage("cp.session_heartbeat", "cluster:\n  cp:\n    members: 3\n    session_heartbeat: 2s\n");
        assertMessage("cp.session_heartbeat", "cluster:\n  cp:\n    members: 3\n    session_heartbeat: 500ms\n");
        assertMessage("cp.session_heartbeat", "cluster:\n  cp:\n    session_heartbeat: 0s\n");
        assertMessage("cluster.cp", "cluster:\n  cp: 3\n");
        assertMessage("cp.missing_member_auto_removal", "cluster:\n  cp:\n    members: 3\n    missing_member_auto_removal: 1s\n");
        assertMessage("cp.missing_member_auto_removal",
                "cluster:\n  cp:\n    members: 3\n    session_ttl: 10s\n    missing_member_auto_removal: 5s\n");
        assertMessage("cp.missing_member_auto_removal", "cluster:\n  cp:\n    members: 3\n    missing_member_auto_removal: 25h\n");
        assertMessage("cp.missing_member_auto_removal",
                "cluster:\n  cp:\n    members: 3\n    missing_member_auto_removal: 2500ms\n");
        assertMessage("cluster.cp.priority", "cluster:\n  cp:\n    members: 3\n    priority: 11\n");
        assertMessage("cluster.cp.priority", "cluster:\n  cp:\n    members: 3\n    priority: -11\n");
    }

    @Test
    void hazelcastRunsTheCpSubsystemInGroupsOfThreeWithFastRaftTimings() {
        ClusterConfig c = read("cluster:\n  cp:\n    members: 5\n    session_ttl: 4s\n    session_heartbeat: 1s\n"
                + "    priority: -1\n");
        com.hazelcast.config.Config hz = ClusteredVertx.hazelcastConfig(c);
        CPSubsystemConfig cp = hz.getCPSubsystemConfig();
        assertEquals(-1, cp.getCPMemberPriority(), "the groups' leadership goes to members of a higher priority");
        assertEquals("5", hz.getProperty("hazelcast.raft.leadership.rebalance.period"),
                "leadership is moved within seconds, not Hazelcast's minute");
        assertEquals(5, cp.getCPMemberCount());
        assertEquals(3, cp.getGroupSize(), "the smallest odd group: one member may be down");
        assertEquals(4, cp.getSessionTimeToLiveSeconds());
        assertEquals(1, cp.getSessionHeartbeatIntervalSeconds());
        assertEquals(60, cp.getMissingCPMemberAutoRemovalSeconds());
        assertFalse(cp.isPersistenceEnabled(), "open-source Hazelcast keeps CP state in memory");
        RaftAlgorithmConfig raft = cp.getRaftAlgorithmConfig();
        assertEquals(500, raft.getLeaderElectionTimeoutInMillis());
        assertEquals(200, raft.getLeaderHeartbeatPeriodInMillis());
        assertEquals(3, raft.getMaxMissedLeaderHeartbeatCount());
        ConfigValidator.checkCPSubsystemConfig(cp); // what Hazelcast checks when the member starts
    }

    @Test
    void aLongSessionTtlLengthensTheMissingMemberRemovalToMatch() {
        ClusterCp cp = new ClusterCp(3, Duration.ofMinutes(3), Duration.ofSeconds(10));
        assertEquals(Duration.ofMinutes(3), cp.missingMemberAutoRemoval());
        CPSubsystemConfig config = ClusteredVertx.hazelcastConfig(ClusterConfig.defaults().withCp(cp)).getCPSubsystemConfig();
        assertEquals(180, config.getMissingCPMemberAutoRemovalSeconds());
        ConfigValidator.checkCPSubsystemConfig(config);
    }

    @Test
    void aPlainVertxHasNoHazelcastMember() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusteredVertx.hazelcastOf(vertx));
            assertTrue(e.getMessage().contains("not clustered with Hazelcast"), e.getMessage());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static void assertMessage(String expected, String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
