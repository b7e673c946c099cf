package org.opentrade.exchange.adapter.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPSubsystem;
import com.hazelcast.cp.IAtomicReference;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.cp.lock.exception.LockOwnershipLostException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.opentrade.exchange.port.LeadershipRegister;

/**
 * The leadership register in Hazelcast's CP subsystem (Raft; {@code cluster.cp} in the service's YAML,
 * {@code org.opentrade.common.cluster.ClusterCp}): the group's lock is the {@link FencedLock}
 * {@code opentrade-exchange-<group>}, its register the {@link IAtomicReference}
 * {@code opentrade-exchange-<group>-leader}. Both live in Hazelcast's default CP group, replicated on
 * three CP members, so they survive any one member's death.
 *
 * <p><b>Threads.</b> A Hazelcast fenced lock belongs to a (member, thread) pair, while the port's lock
 * belongs to the process. So every lock call runs on one private daemon thread
 * ({@code exchange-leadership-<group>}), and the caller blocks until it is done: whichever thread calls
 * {@link #tryLock} or {@link #unlock}, Hazelcast sees one owner. The register's calls run on the
 * caller's thread. Every call is a Raft round trip (about a millisecond on a LAN) or, for
 * {@link #tryLock}, up to its wait: call off the event loop and the shard threads.
 *
 * <p><b>Sessions and timings.</b> The lock is held under this member's CP session, which the member
 * renews every {@code cluster.cp.session_heartbeat} (1 s by default). A process that dies, or stops
 * renewing (a GC pause, a network cut), loses its session after {@code cluster.cp.session_ttl} (2 s by
 * default, checked every second), and the lock is free for another process; a dead CP group leader is
 * replaced in about one to two seconds first. A process whose session was lost while it held the lock
 * learns it on its next lock call, which Hazelcast answers with {@link LockOwnershipLostException}:
 * {@link #unlock} logs it and returns (there is nothing left to give up), {@link #tryLock} logs it and
 * tries to take the lock afresh, under a new fence. Until then it may still believe it leads: that is
 * what the fence is for, since every later holder's fence is larger.
 *
 * <p><b>A member that left.</b> When Hazelcast removes a member from the cluster (it stopped answering
 * for {@code cluster.member_timeout}, or its connections were refused: a killed process on a live host
 * goes within a second or so), every register closes that member's CP sessions in the lock's CP group
 * at once ({@code CPSessionManagementService.forceCloseSession}) instead of waiting out their TTL, so a
 * standby takes a dead leader's lock sooner. Safety does not rest on it: a removed member that was in
 * fact alive only loses the lock, and the leadership record's compare-and-set fences whatever it writes
 * afterwards.
 *
 * <p>Needs the CP subsystem: {@link #open} refuses a member without one, because Hazelcast's fallback
 * (the "unsafe mode" of a cluster with no CP members) keeps the lock in ordinary partitions, where a
 * network partition can give two processes the same lock.
 */
public final class HazelcastLeadershipRegister implements LeadershipRegister {
    /** Prefix of the CP objects' names, so they cannot collide with another component's. */
    public static final String NAME_PREFIX = "opentrade-exchange-";

    private static final Logger LOG = Logger.getLogger(HazelcastLeadershipRegister.class.getName());
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The longest {@link #close} waits for its unlock: a healthy CP subsystem answers in milliseconds. */
    static final Duration CLOSE_UNLOCK_WAIT = Duration.ofSeconds(5);

    private final String group;
    private final FencedLock lock;
    private final IAtomicReference<String> register;
    private final HazelcastInstance hz;
    private final java.util.UUID membershipListener;
    /** The only thread that touches {@link #lock}. */
    private final ExecutorService lockThread;

    private HazelcastLeadershipRegister(HazelcastInstance hz, String group, FencedLock lock,
                                        IAtomicReference<String> register) {
        this.hz = hz;
        this.group = group;
        this.lock = lock;
        this.register = register;
        this.membershipListener = hz.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
                closeSessionsOf(event.getMember().getAddress());
            }
        });
        this.lockThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "exchange-leadership-" + group);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The register of {@code group} (such as {@code shards-0-1}: 1 to 64 of {@code [A-Za-z0-9._-]}) in
     * {@code hz}'s CP subsystem. Creates nothing remotely yet (Hazelcast creates the objects on first
     * use). {@code hz} stays the caller's: {@link #close} does not shut it down. Open one per group and
     * process: two registers of one group on one member are two lock owners (one thread each).
     *
     * @throws IllegalArgumentException when {@code group} is not such a name
     * @throws IllegalStateException    when {@code hz} runs no CP subsystem ({@code cluster.cp.members} 0)
     */
    public static HazelcastLeadershipRegister open(HazelcastInstance hz, String group) {
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("group '" + group + "': allowed 1-64 of [A-Za-z0-9._-]");
        }
        if (!runsCp(hz)) {
            throw new IllegalStateException("the leadership register of group '" + group + "' needs Hazelcast's CP"
                    + " subsystem: set cluster.cp.members (3 or more) on every member of cluster '"
                    + hz.getConfig().getClusterName() + "'");
        }
        CPSubsystem cp = hz.getCPSubsystem();
        return new HazelcastLeadershipRegister(hz, group, cp.getLock(NAME_PREFIX + group),
                cp.getAtomicReference(NAME_PREFIX + group + "-leader"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>When this process already holds the lock, returns the hold's fence at once and takes the lock
     * no second time, so one {@link #unlock} still releases it.
     */
    @Override
    public OptionalLong tryLock(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return onLockThread(() -> {
            try {
                if (lock.isLockedByCurrentThread()) {
                    return fence(lock.getFence());
                }
            } catch (LockOwnershipLostException e) {
                // Hazelcast has forgotten the lost hold with this exception; the next try starts afresh.
                LOG.warning(() -> "group " + group + ": the lock was lost (this member's CP session ended) and is"
                        + " taken afresh: " + e.getMessage());
            }
            return fence(lock.tryLockAndGetFence(millis, TimeUnit.MILLISECONDS));
        });
    }

    @Override
    public void unlock() {
        onLockThread(this::unlockHere);
    }

    /** On the lock thread: releases the lock when this process holds it. */
    private Void unlockHere() {
        try {
            if (lock.isLockedByCurrentThread()) {
                lock.unlock();
            }
        } catch (IllegalMonitorStateException e) { // LockOwnershipLostException is one
            LOG.warning(() -> "group " + group + ": nothing to unlock, the lock was already lost (this member's"
                    + " CP session ended): " + e.getMessage());
        }
        return null;
    }

    @Override
    public String read() {
        return register.get();
    }

    @Override
    public boolean compareAndSet(String expect, String update) {
        return register.compareAndSet(expect, update);
    }

    /**
     * Unlocks when this process holds the lock, waiting at most {@link #CLOSE_UNLOCK_WAIT}, then stops the
     * lock thread. Leaves Hazelcast running. A Hazelcast that is already shut down is no error here (its
     * session is gone with it), and neither is a CP subsystem that does not answer (it has lost its
     * majority): the lock is then freed when this process's CP session expires, after it exits, so a
     * stopping exchange is not held up.
     */
    @Override
    public void close() {
        if (lockThread.isShutdown()) {
            return;
        }
        try {
            hz.getCluster().removeMembershipListener(membershipListener);
        } catch (RuntimeException e) {
            // Hazelcast already shut down
        }
        try {
            lockThread.submit(this::unlockHere).get(CLOSE_UNLOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warning("group " + group + ": the CP subsystem did not answer the unlock within "
                    + CLOSE_UNLOCK_WAIT.toSeconds() + " s (no majority?); the lock is freed when this process's CP"
                    + " session expires");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "group " + group + ": could not unlock on close", e);
        } finally {
            lockThread.shutdown();
        }
    }

    /**
     * Closes the CP sessions a removed member held in the lock's CP group (on a Hazelcast event thread;
     * asynchronous, nothing blocks). Another register may have closed them first: that is no error.
     */
    private void closeSessionsOf(com.hazelcast.cluster.Address gone) {
        try {
            com.hazelcast.cp.session.CPSessionManagementService sessions =
                    hz.getCPSubsystem().getCPSessionManagementService();
            String cpGroup = lock.getGroupId().getName();
            long removedAt = System.nanoTime();
            sessions.getAllSessions(cpGroup).whenComplete((all, err) -> {
                if (err != null && !hz.getLifecycleService().isRunning()) {
                    return; // this member is shutting down itself
                }
                if (err != null) {
                    LOG.warning("group " + group + ": no CP sessions listed after " + gone + " left (" + err
                            + "): its lock waits for the session's TTL");
                    return;
                }
                // Each outcome is logged (one member removal, a few lines): a takeover slower than the
                // removal plus a commit shows here whether the session was closed, already gone or not found.
                List<com.hazelcast.cp.session.CPSession> held = all.stream().filter(s -> gone.equals(s.endpoint())
                        && s.endpointType() == com.hazelcast.cp.session.CPSession.CPSessionOwnerType.SERVER).toList();
                if (held.isEmpty()) {
                    LOG.info("group " + group + ": no CP session of " + gone + " to close (sessions: " + all.stream()
                            .map(s -> s.id() + "@" + s.endpoint()).toList() + ")");
                }
                for (com.hazelcast.cp.session.CPSession s : held) {
                    sessions.forceCloseSession(cpGroup, s.id()).whenComplete((closed, e) -> {
                        long ms = (System.nanoTime() - removedAt) / 1_000_000;
                        if (e != null) {
                            LOG.warning("group " + group + ": CP session " + s.id() + " of " + gone + " not closed ("
                                    + e + "); its lock waits for the session's TTL");
                        } else if (Boolean.TRUE.equals(closed)) {
                            LOG.info("group " + group + ": closed CP session " + s.id() + " of " + gone
                                    + ", which left the cluster, " + ms + " ms after its removal (its locks are free now)");
                        } else {
                            LOG.info("group " + group + ": CP session " + s.id() + " of " + gone
                                    + " was closed already (" + ms + " ms after its removal)");
                        }
                    });
                }
            });
        } catch (RuntimeException e) {
            LOG.warning("group " + group + ": cannot close the CP sessions of " + gone + ": " + e);
        }
    }

    /** A member knows its CP member count; a Hazelcast client cannot read it and is given the benefit of the doubt. */
    private static boolean runsCp(HazelcastInstance hz) {
        try {
            return hz.getConfig().getCPSubsystemConfig().getCPMemberCount() > 0;
        } catch (UnsupportedOperationException client) {
            return true;
        }
    }

    private static OptionalLong fence(long fence) {
        return fence == FencedLock.INVALID_FENCE ? OptionalLong.empty() : OptionalLong.of(fence);
    }

    /**
     * Runs {@code call} on the lock thread and waits for it. An interrupt does not abandon it (that
     * could leave a lock taken that no caller knows of): the wait goes on, bounded by the call's own
     * wait, and the interrupt is restored afterwards.
     */
    private <T> T onLockThread(Callable<T> call) {
        Future<T> result;
        try {
            result = lockThread.submit(call);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the leadership register of group " + group + " is closed");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
