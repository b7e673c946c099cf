package org.opentrade.common.cluster;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The one way every OpenTrade process joins distributed mode's cluster: a Vert.x clustered event bus
 * over Hazelcast (vertx-hazelcast, Hazelcast 5.3), configured in code from a {@link ClusterConfig}.
 *
 * <p>The Hazelcast configuration starts from Vert.x's own ({@code default-cluster.xml}, or a
 * {@code cluster.xml} on the classpath: the maps Vert.x keeps its subscriptions in) and then sets
 * what OpenTrade promises: TCP/IP join with the configured member list, multicast and auto-detection
 * off, binding to the configured interface only (never every interface unless {@code host} is
 * 0.0.0.0), no phone-home, and no Hazelcast shutdown hook, because each service's own hook closes
 * Vert.x, which leaves the cluster cleanly after the service has drained.
 *
 * <p>Open-source Hazelcast authenticates no member (see the package documentation), so the
 * configuration also narrows what a member that joins without the cluster's certificate can make
 * the others do: Java deserialization of cluster data is limited to Hazelcast's and the JDK's own
 * classes (no gadget chain through a rogue member's map value or executor task), and Jet (jobs and
 * their uploaded code), user-code deployment and the REST and Memcache endpoints stay off. With
 * {@link ClusterTls} enabled, the event bus itself only talks to members that hold a certificate
 * from the cluster CA.
 *
 * <p><b>CP subsystem.</b> With {@code cluster.cp.members} set ({@link ClusterCp}), Hazelcast also runs
 * its CP subsystem: Raft groups of three members that hold the exchange failover's fenced lock and
 * leader register ({@code org.opentrade.exchange.adapter.hazelcast.HazelcastLeadershipRegister}). It is
 * part of open-source Hazelcast 5.3, which Vert.x 5 ships; from Hazelcast 5.5 on it is an Enterprise
 * feature, so moving past 5.4 means a licence or another consensus engine behind the same port. Its
 * Raft timings are set for a LAN or the loopback (Hazelcast's defaults suit a WAN): a follower calls
 * an election after {@value #RAFT_MAX_MISSED_HEARTBEATS} missed leader heartbeats of
 * {@value #RAFT_HEARTBEAT_MILLIS} ms, checked every {@value #RAFT_ELECTION_TIMEOUT_MILLIS} ms to 1 s
 * more, so a dead CP group leader is replaced in about one to two seconds (with the defaults, 25 s of
 * silence and then up to 3 s more). A crashed CP member's seat is filled again by another member
 * ({@link CpSeats}, started here for every clustered Vert.x).
 * A rogue member (see the package documentation) could also take or destroy CP data, as it can any
 * other Hazelcast data: the same deployment rule protects it.
 */
public final class ClusteredVertx {
    private static final Logger LOG = Logger.getLogger(ClusteredVertx.class.getName());

    /**
     * Raft leader heartbeat period (Hazelcast's default 5 s): leader liveness is judged on it, and
     * 200 ms keeps a loopback or LAN cluster's Raft traffic negligible.
     */
    public static final long RAFT_HEARTBEAT_MILLIS = 200;
    /** Missed leader heartbeats before a follower calls an election (Hazelcast's default 5). */
    public static final int RAFT_MAX_MISSED_HEARTBEATS = 3;
    /**
     * The Raft election timeout (Hazelcast's default 2 s): how long a candidate waits for votes, and the
     * base of the leader check period (Hazelcast adds up to 1 s at random so followers do not all call
     * elections at once).
     */
    public static final long RAFT_ELECTION_TIMEOUT_MILLIS = 500;

    /**
     * How often the CP subsystem moves each group's Raft leadership to its member of the highest
     * {@link ClusterCp#priority} (Hazelcast's default is 60 s): soon after the members start, and soon
     * after a failover exchange restarts and the groups elected it meanwhile.
     */
    public static final int CP_LEADERSHIP_REBALANCE_SECONDS = 5;

    /** Hazelcast partitions (its default is 271); every member of a cluster must have the same count. */
    public static final int PARTITIONS = 23;

    /** How long the master waits for one partition migration's answer before it gives it up and plans again. */
    public static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(20);

    /** The longest a member's graceful leave of the cluster takes. */
    public static final Duration GRACEFUL_LEAVE = Duration.ofSeconds(10);

    private ClusteredVertx() {
    }

    /** The Hazelcast configuration for {@code c} (a new object each call). */
    public static com.hazelcast.config.Config hazelcastConfig(ClusterConfig c) {
        com.hazelcast.config.Config hz = ConfigUtil.loadConfig();
        hz.setClusterName(c.name());
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        // How long a leaving member waits to hand over its data and its CP seats (Hazelcast's default is
        // 10 minutes). A CP member that leaves while another CP member is dead but not yet removed cannot
        // hand its seats over (its groups count the dead one); it then gives up after this instead of
        // holding its process's stop until the supervisor kills it.
        hz.setProperty("hazelcast.graceful.shutdown.max.wait", Long.toString(GRACEFUL_LEAVE.toSeconds()));
        long timeout = c.memberTimeout().toSeconds();
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(timeout));
        // A few heartbeats per timeout, so one lost packet is no alarm.
        hz.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(Math.max(1, timeout / 5)));
        // How long the master gathers join requests before it admits them together: Hazelcast waits 5 s
        // after the last one, up to 20 s while more keep coming, so four services starting at once took
        // about 20 s to join. 1 s and at most 5 s still admit a burst in one or two membership changes.
        hz.setProperty("hazelcast.wait.seconds.before.join", "1");
        hz.setProperty("hazelcast.max.wait.seconds.before.join", "5");
        boolean any = ClusterConfig.ANY.equals(c.host());
        hz.setProperty("hazelcast.socket.bind.any", Boolean.toString(any));
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(c.portAutoIncrement())
                .setPortCount(c.portAutoIncrement() ? ClusterConfig.PORT_COUNT : 1);
        if (!any) {
            net.getInterfaces().setEnabled(true).clear().addInterface(c.host());
        }
        if (!c.publicHost().equals(c.host())) {
            net.setPublicAddress(c.publicHost());
        }
        net.getRestApiConfig().setEnabled(false);
        net.getMemcacheProtocolConfig().setEnabled(false);
        // Everything OpenTrade and Vert.x keep in Hazelcast is DataSerializable or Hazelcast's JSON;
        // Java serialization is allowed for the defaults only (java*, com.hazelcast., arrays), so a
        // member cannot make another deserialize an arbitrary class. A new Serializable value type
        // fails with "Resolving class ... is not allowed" until it is added here.
        hz.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        hz.getJetConfig().setEnabled(false).setResourceUploadEnabled(false);
        hz.getUserCodeDeploymentConfig().setEnabled(false);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).clear();
        c.members().forEach(tcp::addMember);
        hz.setProperty("hazelcast.raft.leadership.rebalance.period", Integer.toString(CP_LEADERSHIP_REBALANCE_SECONDS));
        // What the cluster keeps in partitions is small (the event bus's subscriptions and node addresses, the
        // services' discovery records): 271 partitions (the default) only made the migration after a member
        // died take over a second, during which new event-bus connections and registrations wait.
        hz.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
        // The longest the master waits for the answer to one partition migration before it plans again
        // (Hazelcast's default is 300 s). Five services joining at once on a loaded machine left a migration
        // unanswered three times (the master logged "Remaining migration tasks" for minutes, map writes were
        // retried with PartitionMigratingException meanwhile, and the joining members' start gave up after
        // 110 s). The partitions hold kilobytes, so a migration that lasts seconds is already a lost one.
        hz.setProperty("hazelcast.partition.migration.timeout", Long.toString(MIGRATION_TIMEOUT.toSeconds()));
        applyCp(hz.getCPSubsystemConfig(), c.cp());
        return hz;
    }

    /**
     * Sets {@code cp} on Hazelcast's CP configuration; leaves it at Hazelcast's defaults (CP member
     * count 0: off) when {@code cp} is off. Hazelcast checks the combination when the member starts
     * (group size at most the member count, heartbeat shorter than the TTL, auto-removal at least the
     * TTL), which {@link ClusterCp} already guarantees.
     */
    private static void applyCp(CPSubsystemConfig config, ClusterCp cp) {
        if (!cp.enabled()) {
            return;
        }
        config.setCPMemberCount(cp.members()).setGroupSize(ClusterCp.GROUP_SIZE)
                .setSessionTimeToLiveSeconds((int) cp.sessionTtl().toSeconds())
                .setSessionHeartbeatIntervalSeconds((int) cp.sessionHeartbeat().toSeconds())
                .setMissingCPMemberAutoRemovalSeconds((int) cp.missingMemberAutoRemoval().toSeconds())
                .setCPMemberPriority(cp.priority());
        config.getRaftAlgorithmConfig().setLeaderElectionTimeoutInMillis(RAFT_ELECTION_TIMEOUT_MILLIS)
                .setLeaderHeartbeatPeriodInMillis(RAFT_HEARTBEAT_MILLIS)
                .setMaxMissedLeaderHeartbeatCount(RAFT_MAX_MISSED_HEARTBEATS);
    }

    /**
     * {@code options} with the event bus of {@code c}: listening on {@code host} (every interface for
     * 0.0.0.0) and {@code event_bus_port}, announced to the other members as {@code public_host},
     * with mutual TLS when {@code c.tls()} is enabled.
     */
    public static VertxOptions withEventBus(VertxOptions options, ClusterConfig c) {
        options.getEventBusOptions().setHost(c.host()).setPort(c.eventBusPort()).setClusterPublicHost(c.publicHost());
        c.tls().applyTo(options.getEventBusOptions());
        return options;
    }

    /** Starts a clustered Vert.x with {@code options} (its event bus set from {@code c}). */
    public static Future<Vertx> start(ClusterConfig c, VertxOptions options) {
        return start(c, options, null);
    }

    /**
     * {@link #start(ClusterConfig, VertxOptions)} on {@code transport} (null: the one {@code options}
     * prefers).
     */
    public static Future<Vertx> start(ClusterConfig c, VertxOptions options, Transport transport) {
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(c));
        VertxBuilder builder = Vertx.builder().with(withEventBus(options, c)).withClusterManager(manager);
        if (transport != null) {
            builder.withTransport(transport);
        }
        return builder.buildClustered()
                .onSuccess(vertx -> {
                    LOG.info(joinedLine(c, manager));
                    CpSeats.keep(vertx, manager.getHazelcastInstance(), c.cp());
                });
    }

    /**
     * {@link #start} and waits up to {@code timeout}. Blocks: for a process's main thread before any
     * event loop of its own runs (never on an event loop).
     */
    public static Vertx join(ClusterConfig c, VertxOptions options, Duration timeout) throws Exception {
        return join(c, options, null, timeout);
    }

    /** {@link #start(ClusterConfig, VertxOptions, Transport)} and waits up to {@code timeout}; blocks like {@link #join}. */
    public static Vertx join(ClusterConfig c, VertxOptions options, Transport transport, Duration timeout)
            throws Exception {
        return start(c, options, transport).toCompletionStage().toCompletableFuture()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A service main's Vert.x: a plain one when {@code clustered} is false (an exchange in the same JVM),
     * else {@link #join} with native transport preferred, waiting up to 120 s; a failure to join is
     * logged and ends the process (exit 1). Blocks: for a main thread before any event loop runs.
     */
    public static Vertx forMainOrExit(boolean clustered, ClusterConfig c) {
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        if (!clustered) {
            return Vertx.vertx(options);
        }
        try {
            return join(c, options, Duration.ofSeconds(120));
        } catch (Exception e) {
            LOG.log(java.util.logging.Level.SEVERE, "cannot join " + c, e.getCause() != null ? e.getCause() : e);
            System.exit(1);
            return null;
        }
    }

    /**
     * The Hazelcast member under a clustered {@code vertx}, for what the event bus does not cover (the
     * CP subsystem's leadership lock). Any thread.
     *
     * @throws IllegalStateException when {@code vertx} is not clustered, or clustered by another cluster
     *                               manager than Hazelcast, or has not joined yet
     */
    public static HazelcastInstance hazelcastOf(Vertx vertx) {
        ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
        if (!(manager instanceof HazelcastClusterManager hazelcast)) {
            throw new IllegalStateException("Vert.x is not clustered with Hazelcast (cluster manager: "
                    + (manager == null ? "none, a plain Vert.x" : manager.getClass().getName())
                    + "): start it with ClusteredVertx.start or join");
        }
        HazelcastInstance hz = hazelcast.getHazelcastInstance();
        if (hz == null) {
            throw new IllegalStateException("Vert.x's Hazelcast cluster manager has no Hazelcast member yet: it has"
                    + " not joined the cluster");
        }
        return hz;
    }

    private static String joinedLine(ClusterConfig c, HazelcastClusterManager manager) {
        HazelcastInstance hz = manager.getHazelcastInstance();
        String member = hz == null ? "?" : hz.getCluster().getLocalMember().getAddress().toString();
        int size = hz == null ? 0 : hz.getCluster().getMembers().size();
        return "joined cluster '" + c.name() + "' as member " + member + " (node " + manager.getNodeId() + "); "
                + size + " member(s) now; " + c.tls() + "; " + c.cp();
    }
}
