package org.opentrade.exchange.domain.failover;

import java.util.regex.Pattern;

/**
 * What the leadership register of one group of exchange shards says: which process leads, under
 * which fencing token, and which standby (if any) holds every command the leader acknowledged.
 *
 * <p>The rules of exchange failover live here, in plain Java:
 * <ul>
 *   <li>a process holding the group's lock may lead only when its data holds every acknowledged
 *       command ({@link #mayLead}): it led last, or it is the standby the last leader kept in sync;
 *   <li>it takes the lead by writing {@link #takenBy} over exactly the record it read, so a deposed
 *       leader's later writes (compare-and-set over its own older record) fail;
 *   <li>a leader names its standby in sync ({@link #withInSync}) only once the standby acknowledged
 *       every batch sent to it, and waits for that standby's acknowledgement before running each
 *       batch from then on; it stops waiting only after writing {@link #withoutInSync}, so a standby
 *       that missed a batch can never take over.
 * </ul>
 * Text form {@code fence/leader/standby} ({@code -} for none): the register holds a string.
 *
 * @param fence   the fencing token of the leader's hold on the lock
 * @param leader  node id of the process that leads
 * @param inSync  node id of the standby that has every acknowledged command; null when none
 */
public record LeaderRecord(long fence, String leader, String inSync) {
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String NONE = "-";

    public LeaderRecord {
        if (fence < 1) {
            throw new IllegalArgumentException("fence must be positive, got " + fence);
        }
        checkNode(leader);
        if (inSync != null) {
            checkNode(inSync);
            if (inSync.equals(leader)) {
                throw new IllegalArgumentException("a leader is not its own standby: " + leader);
            }
        }
    }

    /** Throws unless {@code node} is a usable node id: 1-64 of [A-Za-z0-9._-], never {@code -}. */
    public static String checkNode(String node) {
        if (node == null || !NODE.matcher(node).matches() || NONE.equals(node)) {
            throw new IllegalArgumentException("node id '" + node + "': allowed 1-64 of [A-Za-z0-9._-]");
        }
        return node;
    }

    /** The record in {@code text}; null for null (a register never written). */
    public static LeaderRecord parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a leader record: '" + text + "'");
        }
        try {
            return new LeaderRecord(Long.parseLong(parts[0]), parts[1], NONE.equals(parts[2]) ? null : parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a leader record: '" + text + "'", e);
        }
    }

    /** The text the register holds. */
    public String text() {
        return fence + "/" + leader + "/" + (inSync == null ? NONE : inSync);
    }

    /**
     * True when {@code node}'s data holds every acknowledged command of the group, so it may lead once
     * it holds the lock: nobody led yet ({@code current} null), it led last, or it is the standby the
     * last leader kept in sync.
     */
    public static boolean mayLead(LeaderRecord current, String node) {
        return current == null || current.leader.equals(node) || node.equals(current.inSync);
    }

    /** The record once {@code node} leads under {@code fence}, with no standby in sync yet. */
    public static LeaderRecord takenBy(String node, long fence) {
        return new LeaderRecord(fence, node, null);
    }

    /** This leader with {@code standby} in sync. */
    public LeaderRecord withInSync(String standby) {
        return new LeaderRecord(fence, leader, standby);
    }

    /** This leader with no standby in sync. */
    public LeaderRecord withoutInSync() {
        return new LeaderRecord(fence, leader, null);
    }
}
