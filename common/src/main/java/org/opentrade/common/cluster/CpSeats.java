package org.opentrade.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the CP subsystem at its configured size ({@link ClusterCp#members()}) without an operator. Open-
 * source Hazelcast keeps CP state in memory, so a CP member that crashes never gets its seat back: after
 * {@link ClusterCp#missingMemberAutoRemoval()} Hazelcast removes it and its CP groups shrink to two, and
 * the next loss would take their majority (the exchange failover's lock with it). Every clustered
 * process runs one of these: now and then, a member that is not a CP member asks how many CP members
 * there are and, when fewer than configured, promotes itself ({@code promoteToCPMember}); Hazelcast adds
 * it to the groups that lack a member. A process that crashed and came back is such a member too.
 *
 * <p>Two members may promote themselves at once; the cluster then has one CP member more than configured,
 * which Hazelcast keeps as a spare that it puts into a group when the next CP member goes. Promotion is
 * refused while discovery or another membership change is under way; the next check tries again.
 *
 * <p>Threads: a Vert.x timer on the event loop; every Hazelcast call it makes is local or asynchronous
 * (a {@code CompletionStage}), so nothing blocks.
 */
public final class CpSeats {
    private static final Logger LOG = Logger.getLogger(CpSeats.class.getName());
    /** The longest time between two checks. */
    static final Duration MAX_CHECK_PERIOD = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final ClusterCp cp;
    private final long periodMillis;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean stopped;

    private CpSeats(Vertx vertx, HazelcastInstance hazelcast, ClusterCp cp) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.cp = cp;
        // No point checking much more often than a dead member's seat can come free.
        this.periodMillis = Math.min(MAX_CHECK_PERIOD.toMillis(), cp.missingMemberAutoRemoval().toMillis() / 2);
    }

    /**
     * Starts keeping the seats of {@code cp} for the member under {@code vertx}; nothing when the CP
     * subsystem is off. Stops by itself when Vert.x closes (its timer goes with it) or Hazelcast shuts down.
     */
    public static void keep(Vertx vertx, HazelcastInstance hazelcast, ClusterCp cp) {
        if (cp.enabled()) {
            new CpSeats(vertx, hazelcast, cp).schedule();
        }
    }

    private void schedule() {
        if (stopped) {
            return;
        }
        // Spread out so the members that are not CP members do not all ask (and promote) at once.
        long delay = periodMillis / 2 + ThreadLocalRandom.current().nextLong(periodMillis / 2 + 1);
        try {
            vertx.setTimer(Math.max(1, delay), id -> {
                check();
                schedule();
            });
        } catch (IllegalStateException closed) {
            stopped = true; // Vert.x is closing
        }
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!hazelcast.getLifecycleService().isRunning()) {
                stopped = true;
                checking.set(false);
                return;
            }
            CPSubsystemManagementService m = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
            if (!m.isDiscoveryCompleted() || m.getLocalCPMember() != null) {
                checking.set(false);
                return;
            }
            m.getCPMembers().thenCompose(members -> {
                if (members.size() >= cp.members()) {
                    return CompletableFuture.completedStage(false);
                }
                LOG.info("the CP subsystem has " + members.size() + " of " + cp.members()
                        + " members: promoting this member into the free seat");
                return m.promoteToCPMember().thenApply(v -> true);
            }).whenComplete((promoted, err) -> {
                checking.set(false);
                if (err != null) {
                    // Another membership change under way, a member leaving, a shutdown: the next check tries again.
                    LOG.log(Level.FINE, "no CP promotion this time", err);
                } else if (promoted) {
                    LOG.info("this member is now a CP member: " + m.getLocalCPMember());
                }
            });
        } catch (HazelcastInstanceNotActiveException e) {
            stopped = true; // shutting down
            checking.set(false);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no CP seat check this time", e);
            checking.set(false);
        }
    }
}
