package org.opentrade.sdk.stream;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exactly-once, in-order rule of a stream, apart from any socket: per channel the last
 * {@code seq} accepted. A data frame at last + 1 is delivered; at or below it, a duplicate (dropped);
 * above last + 1, a gap (the caller reconnects and resumes from last). A snapshot frame is always
 * delivered and sets last to its {@code seq} (the head it stands for). Not thread-safe: one stream's
 * receive path owns it.
 *
 * <p>Each resume point belongs to the {@code epoch} of the connection that set it (seqs are numbered per
 * server process): a {@code subscribed} frame of another process does not move it until that channel's
 * first frame there arrives, so a connection lost in between resumes with the epoch the seq came from,
 * and the server tells it is foreign. A channel with state (the order stream's {@code orders}, the market's
 * {@code quotes:}, {@code depth:}, {@code klines:}) has no resume point until its first frame (its snapshot): resumed from the
 * {@code subscribed} head alone, a connection lost before the snapshot went on with diffs of a state
 * the client never had. The order stream's snapshot is several frames (a {@code snapshot} frame announcing
 * {@code open_orders} order frames): the channel has no resume point until the last of them, so a connection lost
 * in the middle subscribes afresh and gets the whole snapshot again, not the updates after a partial one.
 */
final class SeqTracker {
    enum Verdict { DELIVER, DUPLICATE, GAP }

    private final Map<String, Long> last = new HashMap<>();
    /** The epoch each resume point in {@link #last} belongs to (null: the server sent none). */
    private final Map<String, String> epochs = new HashMap<>();
    private final Map<String, Long> announced = new HashMap<>();
    /** Channels whose multi-frame snapshot is under way: the frames still to come. */
    private final Map<String, Long> snapshotLeft = new HashMap<>();
    /** The epoch of the current connection's server, from its {@code subscribed} frame. */
    private String epoch;

    Verdict onData(String channel, long seq, boolean snapshot) {
        return onData(channel, seq, snapshot, -1);
    }

    /**
     * A data frame; {@code snapshotParts} is the number of frames a snapshot-start frame announces (the order
     * stream's {@code data.open_orders}), else -1.
     */
    Verdict onData(String channel, long seq, boolean snapshot, long snapshotParts) {
        Long left = snapshotLeft.get(channel);
        if (left != null) {
            if (!snapshot || snapshotParts >= 0) {
                // the snapshot was cut short (never by a server that keeps the order): its state is incomplete
                snapshotLeft.remove(channel);
                return Verdict.GAP;
            }
            if (left > 1) {
                snapshotLeft.put(channel, left - 1);
                return Verdict.DELIVER;
            }
            snapshotLeft.remove(channel);
        } else if (snapshot && snapshotParts > 0) {
            snapshotLeft.put(channel, snapshotParts);
            last.remove(channel);
            epochs.remove(channel);
            return Verdict.DELIVER;
        }
        Long prev = last.get(channel);
        if (!snapshot && prev != null && seq <= prev) {
            return Verdict.DUPLICATE;
        }
        if (!snapshot && prev != null && seq > prev + 1) {
            return Verdict.GAP;
        }
        last.put(channel, seq);
        epochs.put(channel, epoch);
        return Verdict.DELIVER;
    }

    /**
     * A {@code subscribed} frame: channels seen for the first time start at the head it reports, except those
     * whose snapshot follows (they start there).
     */
    void onSubscribed(Map<String, Long> heads, String newEpoch) {
        if (newEpoch != null) {
            epoch = newEpoch;
        }
        heads.forEach((channel, head) -> {
            if (!last.containsKey(channel) && !snapshotFollows(channel)) {
                last.put(channel, head);
                epochs.put(channel, epoch);
            }
        });
    }

    static boolean snapshotFollows(String channel) {
        return channel.equals("orders") || channel.startsWith("quotes:") || channel.startsWith("depth:")
                || channel.startsWith("klines:");
    }

    /**
     * A heartbeat's head {@code seqs}: true when the previous heartbeat already reported a head this
     * connection has still not reached (a gap). One heartbeat ahead is not enough: its frames may be
     * on their way behind it.
     */
    boolean heartbeatShowsGap(Map<String, Long> heads) {
        boolean gap = false;
        for (Map.Entry<String, Long> reported : announced.entrySet()) {
            Long prev = last.get(reported.getKey());
            if (prev != null && reported.getValue() > prev) {
                gap = true;
            }
        }
        announced.clear();
        announced.putAll(heads);
        return gap;
    }

    /** A new connection: heads announced on the old one no longer count. */
    void onReconnect() {
        announced.clear();
        snapshotLeft.clear();
    }

    /** Where to resume each channel from: the last {@code seq} accepted. */
    Map<String, Long> resumePoints() {
        return Map.copyOf(last);
    }

    /**
     * The resume points by the epoch they belong to (one subscribe frame each), in no particular order; points of a
     * server that sent no epoch are left out (such a channel subscribes afresh).
     */
    Map<String, Map<String, Long>> resumeByEpoch() {
        Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
        last.forEach((channel, seq) -> {
            String e = epochs.get(channel);
            if (e != null) {
                groups.computeIfAbsent(e, k -> new LinkedHashMap<>()).put(channel, seq);
            }
        });
        return groups;
    }

    /** The current connection's epoch; null before the first {@code subscribed}. */
    String epoch() {
        return epoch;
    }
}
