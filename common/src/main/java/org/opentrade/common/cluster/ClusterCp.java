package org.opentrade.common.cluster;

import java.time.Duration;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;

/**
 * Hazelcast's CP subsystem (the {@code cluster.cp} section): Raft-replicated data structures that stay
 * consistent through member crashes and network partitions, which the exchange's failover uses for
 * its fenced leadership lock. Off by default ({@link #OFF}); {@link ClusteredVertx#hazelcastConfig}
 * applies it. Immutable and validated on construction.
 *
 * <p>Every member of one cluster must be given the same settings. The first {@code members} processes
 * that join become the CP members; each CP group (a Raft group) has {@value #GROUP_SIZE} of them, so
 * the lock keeps working while any one of them is down. Without persistence (open-source Hazelcast
 * keeps CP state in memory) a CP member that crashes and restarts comes back as a new, non-CP member:
 * the dead one is removed after {@link #missingMemberAutoRemoval()}, and then a member that is not a CP
 * member promotes itself into the free seat ({@link CpSeats}, which every clustered process runs), so
 * the groups have three members again. Until the removal the groups count the dead member, so with
 * three CP members a second loss within that time, a graceful shutdown included, leaves them without a
 * majority: lock calls then fail or wait, and a CP member's graceful leave may not finish.
 *
 * @param members          how many members form the CP subsystem: 0 turns it off, else 3 to 7
 * @param sessionTtl       a process whose session heartbeats stop this long loses its CP session and
 *                         with it every lock it holds: shorter means a dead leader is replaced sooner,
 *                         longer survives longer GC pauses without a spurious failover. Whole seconds,
 *                         at least 2 s
 * @param sessionHeartbeat how often a process renews its session; whole seconds, shorter than
 *                         {@code sessionTtl} (a few heartbeats per TTL, so one lost packet is no loss)
 * @param missingMemberAutoRemoval how long a CP member that left the cluster keeps its seat before it is
 *                         removed and another member may take it; whole seconds, at least
 *                         {@code sessionTtl} (Hazelcast refuses less) and at most a day. A partitioned
 *                         member that comes back within it keeps its place; a crashed one still counts in
 *                         every majority until then
 * @param priority         this member's claim to lead the CP groups (Raft groups) it sits in, from
 *                         {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY} (0 by default): Hazelcast moves a
 *                         group's Raft leadership to its member of the highest priority (checked every
 *                         {@value ClusteredVertx#CP_LEADERSHIP_REBALANCE_SECONDS} s). A process whose death must
 *                         be handled fast (a failover exchange: its lock is freed by a Raft commit in the
 *                         lock's group) takes a lower one, so that its death costs no Raft election first
 */
public record ClusterCp(int members, Duration sessionTtl, Duration sessionHeartbeat, Duration missingMemberAutoRemoval,
                        int priority) {
    /** The lowest {@link #priority}. */
    public static final int MIN_PRIORITY = -10;
    /** The highest {@link #priority}. */
    public static final int MAX_PRIORITY = 10;
    /** The smallest session TTL: below it, one late heartbeat would end a healthy process's session. */
    public static final Duration MIN_SESSION_TTL = Duration.ofSeconds(2);
    /** The largest session TTL: Hazelcast's own default, 5 minutes. */
    public static final Duration MAX_SESSION_TTL = Duration.ofMinutes(5);
    /** A dead leader's lock is free after 2 s (Hazelcast's default is 5 minutes). */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(2);
    /** Two heartbeats per default TTL (Hazelcast's default is 5 s). */
    public static final Duration DEFAULT_SESSION_HEARTBEAT = Duration.ofSeconds(1);
    /** Members per CP group (Raft group): the smallest Hazelcast allows; one may be down at a time. */
    public static final int GROUP_SIZE = 3;
    /** The most CP members Hazelcast can use in one group; more would only add idle members. */
    public static final int MAX_MEMBERS = 7;
    /**
     * The default {@link #missingMemberAutoRemoval}. One minute (Hazelcast's default is 4 hours) is well
     * past {@code cluster.member_timeout} and a short network cut, and short enough that a second crash
     * soon after the first rarely finds the crashed member still counted.
     */
    public static final Duration DEFAULT_MISSING_MEMBER_AUTO_REMOVAL = Duration.ofMinutes(1);
    /** The longest {@link #missingMemberAutoRemoval} accepted. */
    public static final Duration MAX_MISSING_MEMBER_AUTO_REMOVAL = Duration.ofDays(1);
    /** The CP subsystem off: no CP members, Hazelcast's defaults for the rest. */
    public static final ClusterCp OFF = new ClusterCp(0, DEFAULT_SESSION_TTL, DEFAULT_SESSION_HEARTBEAT);

    /** With the default removal delay: {@link #DEFAULT_MISSING_MEMBER_AUTO_REMOVAL}, or the TTL when longer. */
    public ClusterCp(int members, Duration sessionTtl, Duration sessionHeartbeat) {
        this(members, sessionTtl, sessionHeartbeat, defaultRemoval(sessionTtl));
    }

    /** With priority 0. */
    public ClusterCp(int members, Duration sessionTtl, Duration sessionHeartbeat, Duration missingMemberAutoRemoval) {
        this(members, sessionTtl, sessionHeartbeat, missingMemberAutoRemoval, 0);
    }

    public ClusterCp {
        if (members != 0 && (members < GROUP_SIZE || members > MAX_MEMBERS)) {
            throw new IllegalArgumentException("cp.members " + members + ": allowed 0 (CP subsystem off) or "
                    + GROUP_SIZE + ".." + MAX_MEMBERS);
        }
        if (sessionTtl == null || !wholeSeconds(sessionTtl) || sessionTtl.compareTo(MIN_SESSION_TTL) < 0
                || sessionTtl.compareTo(MAX_SESSION_TTL) > 0) {
            throw new IllegalArgumentException("cp.session_ttl " + sessionTtl + ": allowed whole seconds from 2s to 5m");
        }
        if (sessionHeartbeat == null || !wholeSeconds(sessionHeartbeat) || sessionHeartbeat.isZero()
                || sessionHeartbeat.isNegative() || sessionHeartbeat.compareTo(sessionTtl) >= 0) {
            throw new IllegalArgumentException("cp.session_heartbeat " + sessionHeartbeat
                    + ": allowed whole seconds from 1s to less than cp.session_ttl (" + sessionTtl + ")");
        }
        if (missingMemberAutoRemoval == null || !wholeSeconds(missingMemberAutoRemoval)
                || missingMemberAutoRemoval.compareTo(sessionTtl) < 0
                || missingMemberAutoRemoval.compareTo(MAX_MISSING_MEMBER_AUTO_REMOVAL) > 0) {
            throw new IllegalArgumentException("cp.missing_member_auto_removal " + missingMemberAutoRemoval
                    + ": allowed whole seconds from cp.session_ttl (" + sessionTtl + ") to 24h");
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("cp.priority " + priority + ": allowed " + MIN_PRIORITY + ".." + MAX_PRIORITY);
        }
    }

    /** This with {@code priority} instead. */
    public ClusterCp withPriority(int priority) {
        return new ClusterCp(members, sessionTtl, sessionHeartbeat, missingMemberAutoRemoval, priority);
    }

    /**
     * Reads a {@code cp:} section: {@code members} (0 by default: off), {@code session_ttl} (2s),
     * {@code session_heartbeat} (1s), {@code missing_member_auto_removal} (1m, or the TTL when longer) and
     * {@code priority} (0).
     * Every key is read even when off, so a misspelt one still fails.
     * A bad value throws a {@link ConfigException} naming the key.
     */
    public static ClusterCp fromConfig(Config section) {
        int members = section.intValue("members", 0, 0, MAX_MEMBERS);
        Duration ttl = section.duration("session_ttl", DEFAULT_SESSION_TTL);
        Duration heartbeat = section.duration("session_heartbeat", DEFAULT_SESSION_HEARTBEAT);
        Duration removal = section.duration("missing_member_auto_removal", defaultRemoval(ttl));
        int priority = section.intValue("priority", 0, MIN_PRIORITY, MAX_PRIORITY);
        try {
            return new ClusterCp(members, ttl, heartbeat, removal, priority);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config section 'cluster': " + e.getMessage() + " (" + section.origin() + ")");
        }
    }

    /** True when the cluster runs a CP subsystem ({@code members} > 0). */
    public boolean enabled() {
        return members > 0;
    }

    private static Duration defaultRemoval(Duration sessionTtl) {
        return sessionTtl != null && sessionTtl.compareTo(DEFAULT_MISSING_MEMBER_AUTO_REMOVAL) > 0 ? sessionTtl
                : DEFAULT_MISSING_MEMBER_AUTO_REMOVAL;
    }

    private static boolean wholeSeconds(Duration d) {
        return d.getNano() == 0;
    }

    /** For start-up log lines. */
    @Override
    public String toString() {
        return enabled() ? "CP subsystem of " + members + " members (session TTL " + sessionTtl.toSeconds() + "s)"
                : "CP subsystem off";
    }
}
