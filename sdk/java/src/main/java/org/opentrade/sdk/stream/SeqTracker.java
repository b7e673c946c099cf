package org.opentrade.sdk.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * The exactly-once, in-order rule of a stream, apart from any socket: per channel the last
 * {@code seq} accepted. A data frame at last + 1 is delivered; at or below it, a duplicate (dropped);
 * above last + 1, a gap (the caller reconnects and resumes from last). A snapshot frame is always
 * delivered and sets last to its {@code seq} (the head it stands for). Not thread-safe: one stream's
 * receive path owns it.
 */
final class SeqTracker {
    enum Verdict { DELIVER, DUPLICATE, GAP }

    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Long> announced = new HashMap<>();
    private String epoch;

    Verdict onData(String channel, long seq, boolean snapshot) {
        Long prev = last.get(channel);
        if (snapshot) {
            last.put(channel, seq);
            return Verdict.DELIVER;
        }
        if (prev != null && seq <= prev) {
            return Verdict.DUPLICATE;
        }
        if (prev != null && seq > prev + 1) {
            return Verdict.GAP;
        }
        last.put(channel, seq);
        return Verdict.DELIVER;
    }

    /** A {@code subscribed} frame: channels seen for the first time start at the head it reports. */
    void onSubscribed(Map<String, Long> heads, String newEpoch) {
        heads.forEach(last::putIfAbsent);
        if (newEpoch != null) {
            epoch = newEpoch;
        }
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
    }

    /** Where to resume each channel from: the last {@code seq} accepted. */
    Map<String, Long> resumePoints() {
        return Map.copyOf(last);
    }

    /** The epoch the resume points belong to; null before the first {@code subscribed}. */
    String epoch() {
        return epoch;
    }
}
