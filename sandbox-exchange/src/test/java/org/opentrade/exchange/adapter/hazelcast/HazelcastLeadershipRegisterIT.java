package org.opentrade.exchange.adapter.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.cluster.ClusterCp;
import org.opentrade.common.cluster.ClusteredVertx;
import org.opentrade.common.testing.LoopbackPorts;
import org.opentrade.exchange.port.LeadershipRegister;
import org.opentrade.exchange.port.LeadershipRegisterContract;

/**
 * The contract against a real CP subsystem: three Hazelcast members in this JVM on 127.0.0.1 (free
 * ports, a cluster name of their own), configured as distributed mode configures them
 * ({@link ClusteredVertx#hazelcastConfig} with {@code cluster.cp.members: 3} and the default 2 s
 * session TTL). Members 0 and 1 are the two processes; member 2, started as a service starts (a
 * clustered Vert.x, {@link ClusteredVertx#join}), is the third CP member, so after member 0 is killed
 * two of three remain and the lock service keeps its majority. (Vert.x logs a SEVERE "Failed to
 * handle memberRemoved" when member 0 dies: a member without a Vert.x node id, which only a test has.)
 */
class HazelcastLeadershipRegisterIT extends LeadershipRegisterContract {
    private static final ClusterCp CP = new ClusterCp(3, ClusterCp.DEFAULT_SESSION_TTL, ClusterCp.DEFAULT_SESSION_HEARTBEAT);
    /** Members 0 and 1 run as failover exchanges run: they leave the CP groups' lead to member 2. */
    private static final ClusterCp EXCHANGE_CP = CP.withPriority(-1);
    private static final List<HazelcastInstance> members = new ArrayList<>();
    private static Vertx vertx;

    @BeforeAll
    static void startThreeCpMembers() throws Exception {
        List<Integer> ports = List.of(LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free());
        List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        String name = "ot-leadership-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < ports.size(); i++) {
            ClusterConfig c = new ClusterConfig(name, addresses, "127.0.0.1", null, ports.get(i), false,
                    Duration.ofSeconds(5), 0).withCp(i < 2 ? EXCHANGE_CP : CP);
            if (i < 2) {
                members.add(Hazelcast.newHazelcastInstance(ClusteredVertx.hazelcastConfig(c)));
            } else {
                vertx = ClusteredVertx.join(c, new VertxOptions(), Duration.ofSeconds(60));
                members.add(ClusteredVertx.hazelcastOf(vertx));
            }
        }
        for (HazelcastInstance hz : members) {
            assertTrue(hz.getCPSubsystem().getCPSubsystemManagementService().awaitUntilDiscoveryCompleted(30, TimeUnit.SECONDS),
                    "CP subsystem discovery did not complete");
        }
    }

    @AfterAll
    static void stopMembers() throws Exception {
        // Abruptly, Vert.x's member too: a CP member that leaves gracefully first removes itself from its
        // CP groups; with member 0 dead that leaves groups of member 1 and the dead member 0, which have
        // lost their majority, and closing Vert.x did not end within 30 s.
        members.forEach(hz -> hz.getLifecycleService().terminate());
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    protected LeadershipRegister open(int process, String group) {
        return HazelcastLeadershipRegister.open(members.get(process), group);
    }

    /** Abrupt: no graceful leave, no unlock; the member's CP session expires after the TTL. */
    @Override
    protected void kill(int process) {
        members.get(process).getLifecycleService().terminate();
    }

    /** The session TTL, the 1 s expiry check, and a CP group leader election if the dead member led. */
    @Override
    protected Duration takeoverBound() {
        return CP.sessionTtl().plusSeconds(8);
    }

    /**
     * First, before any member dies: the lock's CP group comes to be led by member 2, the member of the
     * highest priority, within a few rebalance periods, so a dead exchange's lock is freed without an
     * election in that group first.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void theLocksCpGroupIsLedByTheMemberOfTheHighestPriority() throws Exception {
        try (LeadershipRegister a = open(0, "shards-priority")) {
            a.tryLock(Duration.ZERO).orElseThrow(); // the lock's group exists now
            a.unlock();
        }
        HazelcastInstance third = members.get(2);
        com.hazelcast.cp.CPSubsystemManagementService cp = third.getCPSubsystem().getCPSubsystemManagementService();
        // Both groups, the lock's and the CP subsystem's own: were leadership left to the elections, all of
        // them would land on member 2 by chance one time in nine.
        List<com.hazelcast.cp.CPGroupId> groups = new ArrayList<>();
        for (String name : List.of(com.hazelcast.cp.CPGroup.DEFAULT_GROUP_NAME, com.hazelcast.cp.CPGroup.METADATA_CP_GROUP_NAME)) {
            groups.add(cp.getCPGroup(name).toCompletableFuture().get(10, TimeUnit.SECONDS).id());
        }
        java.util.UUID expected = third.getCPSubsystem().getLocalCPMember().getUuid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<java.util.UUID> leaders = List.of();
        while (System.nanoTime() < deadline) {
            leaders = groups.stream().map(g -> raftLeader(third, g)).toList();
            if (leaders.stream().allMatch(expected::equals)) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(List.of(expected, expected), leaders,
                "the CP groups are led by the member of priority 0, not by an exchange");
    }

    /** The Raft leader of {@code group} as {@code hz} sees it (Hazelcast's internals: no public API tells). */
    private static java.util.UUID raftLeader(HazelcastInstance hz, com.hazelcast.cp.CPGroupId group) {
        com.hazelcast.instance.impl.HazelcastInstanceImpl impl = hz instanceof com.hazelcast.instance.impl.HazelcastInstanceProxy p
                ? p.getOriginal() : (com.hazelcast.instance.impl.HazelcastInstanceImpl) hz;
        com.hazelcast.cp.internal.RaftService raft = impl.node.getNodeEngine().getService(com.hazelcast.cp.internal.RaftService.SERVICE_NAME);
        com.hazelcast.cp.internal.raft.impl.RaftNode node = raft.getRaftNode(group);
        return node == null || node.getLeader() == null ? null : node.getLeader().getUuid();
    }

    @Test
    void theLockBelongsToTheProcessNotToTheCallingThread() throws Exception {
        try (LeadershipRegister a = open(0, "shards-threads"); LeadershipRegister b = open(1, "shards-threads")) {
            long first = a.tryLock(Duration.ZERO).orElseThrow();
            assertEquals(OptionalLong.of(first), CompletableFuture.supplyAsync(() -> a.tryLock(Duration.ZERO))
                    .get(10, TimeUnit.SECONDS), "another thread of the holder gets the same hold");
            CompletableFuture.runAsync(a::unlock).get(10, TimeUnit.SECONDS);
            assertTrue(b.tryLock(Duration.ofSeconds(5)).orElseThrow() > first, "another thread's unlock released it");
        }
    }

    @Test
    void aClusteredVertxsHazelcastMemberHoldsLocksLikeAnyOther() {
        HazelcastInstance hz = ClusteredVertx.hazelcastOf(vertx);
        assertSame(members.get(2), hz);
        try (LeadershipRegister c = HazelcastLeadershipRegister.open(hz, "shards-vertx");
             LeadershipRegister a = open(0, "shards-vertx")) {
            long first = c.tryLock(Duration.ZERO).orElseThrow();
            assertEquals(OptionalLong.empty(), a.tryLock(Duration.ZERO));
            c.unlock();
            assertTrue(a.tryLock(Duration.ZERO).orElseThrow() > first);
        }
    }

    /**
     * Last (it ends the CP subsystem's majority): a stopping exchange's close gives up an unlock the CP
     * subsystem cannot commit after {@link HazelcastLeadershipRegister#CLOSE_UNLOCK_WAIT} instead of
     * holding the process's stop; the lock is freed when the session expires.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void closeGivesUpAnUnlockTheCpSubsystemCannotCommit() throws Exception {
        HazelcastLeadershipRegister r = HazelcastLeadershipRegister.open(members.get(1), "shards-no-majority");
        assertTrue(r.tryLock(Duration.ofSeconds(10)).isPresent());
        com.hazelcast.cp.IAtomicLong counter = members.get(1).getCPSubsystem().getAtomicLong("no-majority");
        members.get(0).getLifecycleService().terminate(); // already so after the takeover test
        members.get(2).getLifecycleService().terminate();
        // Member 1 alone: nothing commits any more.
        CompletableFuture<Long> increment = counter.incrementAndGetAsync().toCompletableFuture();
        assertThrows(Exception.class, () -> increment.get(2, TimeUnit.SECONDS), "an increment committed without a majority");
        long start = System.nanoTime();
        r.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < HazelcastLeadershipRegister.CLOSE_UNLOCK_WAIT.toMillis() + 3_000,
                "close returned after " + tookMillis + " ms");
    }

    @Test
    void aBadGroupNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HazelcastLeadershipRegister.open(members.get(0), "a/b"));
        assertThrows(IllegalArgumentException.class, () -> HazelcastLeadershipRegister.open(members.get(0), ""));
    }
}
