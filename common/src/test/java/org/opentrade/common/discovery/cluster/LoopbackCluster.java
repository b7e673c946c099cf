package org.opentrade.common.discovery.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * Clustered Vert.x instances in one JVM, joined by Hazelcast over TCP/IP on 127.0.0.1 only
 * (multicast and auto-detection off, phone-home off), under a cluster name of their own so
 * concurrent test runs never meet. Member ports are free ports picked up front and listed as
 * the member list. A dead member is declared dead after {@value #NO_HEARTBEAT_SECONDS} s without
 * heartbeats (Hazelcast's default is 60 s). Blocking: call from the test thread only. Other
 * modules' tests use it through common's test-jar.
 */
public final class LoopbackCluster implements AutoCloseable {
    static final int NO_HEARTBEAT_SECONDS = 4;
    private final String name = "opentrade-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Vertx> members = new ArrayList<>();

    public LoopbackCluster(int maxMembers) {
        for (int i = 0; i < maxMembers; i++) {
            ports.add(LoopbackPorts.free());
        }
    }

    /** Starts the next member and waits until it has joined. */
    public Vertx start() throws Exception {
        int port = ports.get(members.size());
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName(name);
        hz.setProperty("hazelcast.logging.type", "none");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.wait.seconds.before.join", "0");
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(NO_HEARTBEAT_SECONDS));
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int p : ports) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        VertxOptions options = new VertxOptions();
        options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
        Vertx vertx = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered()
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        members.add(vertx);
        return vertx;
    }

    /** Kills {@code member}'s Hazelcast at once (no leave message): the others must detect it. */
    public static void terminate(Vertx member) {
        ClusterDiscovery.hazelcastOf(member).getHazelcastInstance().getLifecycleService().terminate();
    }

    @Override
    public void close() {
        for (Vertx v : members) {
            try {
                v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort: a terminated member's Vert.x may fail to leave a cluster it already left
            }
        }
    }
}
