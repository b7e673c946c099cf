package org.opentrade.trade.adapter.file;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a {@link org.opentrade.trade.port.StreamJournal}'s snapshot marks were written, and which of them
 * are durable: a journal may drop what lies before the older of the two newest durable marks (a start
 * restores one of the two newest snapshots, and needs the records from its mark on). Positions are the
 * journal's own (a segment number, a record index), increasing. Not thread-safe: the journal's lock.
 */
public final class DurableMarks {
    private final Map<Long, Long> positions = new HashMap<>();
    private final Deque<Long> durable = new ArrayDeque<>();
    private long tokens;

    /** A mark written at {@code position}; returns its token. */
    public long mark(long position) {
        long token = ++tokens;
        positions.put(token, position);
        return token;
    }

    /**
     * The snapshot of {@code token}'s mark is stored (earlier marks never will be: they are forgotten).
     * Returns the position before which records may be dropped, or -1 for a token not (or no longer) known.
     */
    public long durable(long token) {
        Long position = positions.remove(token);
        if (position == null) {
            return -1;
        }
        positions.keySet().removeIf(t -> t < token);
        durable.addLast(position);
        while (durable.size() > 2) {
            durable.removeFirst();
        }
        return durable.peekFirst();
    }
}
