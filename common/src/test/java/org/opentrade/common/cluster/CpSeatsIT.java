package org.opentrade.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.IAtomicLong;
import com.hazelcast.cp.internal.RaftService;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.cp.CPGroupId;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * {@link CpSeats} on real Hazelcast members in this JVM (clustered Vert.x joined as the services join,
 * {@link ClusteredVertx#join}, on free loopback ports): three CP members and a fourth member that is
 * not one. While every seat is taken the fourth stays out; when a CP member crashes, the fourth takes
 * its seat once Hazelcast has removed the dead one, so a second crash still leaves the CP groups a
 * majority. Without the seat keeper the groups would be down to two members after the first crash and
 * lose their majority at the second: the last step would time out.
 */
class CpSeatsIT {
    /** Removal after 3 s (at least the 2 s session TTL), so the test waits seconds, not the default minute. */
    private static final ClusterCp CP = new ClusterCp(3, Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(3));
    private static final String COUNTER = "cp-seats-it";
    private final List<Vertx> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        // Abruptly first: a CP member that leaves gracefully waits for its groups, which may have no majority.
        for (Vertx v : started) {
            HazelcastInstance hz = ClusteredVertx.hazelcastOf(v);
            if (hz.getLifecycleService().isRunning()) {
                hz.getLifecycleService().terminate();
            }
        }
        for (Vertx v : started) {
            v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCrashedCpMembersSeatIsTakenByAnotherMemberSoASecondCrashKeepsTheMajority() throws Exception {
        String name = "ot-cp-seats-" + UUID.randomUUID().toString().substring(0, 8);
        List<Integer> ports = List.of(LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free());
        List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<HazelcastInstance> hz = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hz.add(join(name, addresses, ports.get(i)));
        }
        for (HazelcastInstance h : hz) {
            assertTrue(management(h).awaitUntilDiscoveryCompleted(60, TimeUnit.SECONDS), "CP discovery completed");
        }
        // The counter's proxy on the members that will remain, made while all answer (making one asks the
        // CP subsystem's metadata group, which a crashed member may be leading).
        IAtomicLong onThird = hz.get(2).getCPSubsystem().getAtomicLong(COUNTER);
        assertEquals(1, increment(onThird, Duration.ofSeconds(30)), "the CP subsystem answers");
        HazelcastInstance spare = join(name, addresses, ports.get(3));
        hz.add(spare);
        IAtomicLong onSpare = spare.getCPSubsystem().getAtomicLong(COUNTER);
        assertEquals(2, increment(onSpare, Duration.ofSeconds(30)), "a member that is not a CP member uses it too");

        // Every seat taken: the spare stays out through several checks.
        Thread.sleep(3 * CP.missingMemberAutoRemoval().toMillis() / 2); // a span in which nothing may happen
        assertNull(management(spare).getLocalCPMember(), "no promotion while all " + CP.members() + " seats are taken");
        assertEquals(3, cpMembers(hz.get(1)).size());

        CPMember crashed = management(hz.get(0)).getLocalCPMember();
        hz.get(0).getLifecycleService().terminate();
        await("the spare took the crashed member's seat", Duration.ofSeconds(60),
                () -> management(spare).getLocalCPMember() != null);
        Collection<CPMember> members = cpMembers(hz.get(1));
        assertEquals(3, members.size(), "three CP members again: " + members);
        assertTrue(members.stream().noneMatch(m -> m.getUuid().equals(crashed.getUuid())), "the crashed one is gone");
        assertNotNull(management(spare).getLocalCPMember());

        // In the groups' member lists now, the spare starts its part of each group (a Raft node) when their
        // leaders first reach it, within a heartbeat or so; a crash before that would find it not yet
        // voting. Then a second crash leaves two of three, a majority, so the counter answers again once
        // its group has elected a leader.
        Collection<CPGroupId> groups = management(spare).getCPGroupIds().toCompletableFuture().get(30, TimeUnit.SECONDS);
        RaftService raft = raftService(spare);
        await("the spare runs its part of every CP group " + groups, Duration.ofSeconds(30),
                () -> groups.stream().allMatch(g -> raft.getRaftNode(g) != null));
        hz.get(1).getLifecycleService().terminate();
        // (an attempt that timed out may still have committed, so a retry can count twice: at least one more)
        long afterSecondCrash = increment(onThird, Duration.ofSeconds(60));
        assertTrue(afterSecondCrash >= 3, "the CP subsystem still answers after a second crash: " + afterSecondCrash);
        assertTrue(increment(onSpare, Duration.ofSeconds(30)) > afterSecondCrash);
    }

    private HazelcastInstance join(String name, List<String> addresses, int port) throws Exception {
        ClusterConfig c = new ClusterConfig(name, addresses, "127.0.0.1", null, port, false, Duration.ofSeconds(5), 0)
                .withCp(CP);
        Vertx v = ClusteredVertx.join(c, new VertxOptions(), Duration.ofSeconds(60));
        started.add(v);
        return ClusteredVertx.hazelcastOf(v);
    }

    /**
     * Increments the CP counter, trying again while an attempt fails (a member that left, a leader
     * election) or takes over 5 s; fails the test when no attempt commits within {@code bound}.
     */
    private static long increment(IAtomicLong counter, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return counter.incrementAndGetAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
                Thread.sleep(100); // before the next attempt, within the deadline
            }
        }
        throw new AssertionError("the CP subsystem committed no increment within " + bound, last);
    }

    private static Collection<CPMember> cpMembers(HazelcastInstance hz) throws Exception {
        return management(hz).getCPMembers().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Hazelcast's internal CP service of a member (to see whether it runs a group's Raft node; test only). */
    private static RaftService raftService(HazelcastInstance hz) {
        HazelcastInstanceImpl impl = ((HazelcastInstanceProxy) hz).getOriginal();
        return impl.node.getNodeEngine().getService(RaftService.SERVICE_NAME);
    }

    private static CPSubsystemManagementService management(HazelcastInstance hz) {
        return hz.getCPSubsystem().getCPSubsystemManagementService();
    }

    private static void await(String what, Duration bound, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + bound);
            Thread.sleep(50); // polling with a deadline
        }
    }
}
