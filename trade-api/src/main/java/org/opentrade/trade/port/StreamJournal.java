package org.opentrade.trade.port;

import java.util.List;
import java.util.Map;

/**
 * What the order stream sent, kept across restarts so a client can resume on the next process from the
 * last seq it had (issue 15): every data frame as it went out, in order, and marks telling where in that
 * order each ledger snapshot was taken. On a start, the records after the restored snapshot's mark are
 * what the replay must not send again; those before it fill the resume logs.
 *
 * <p><b>Prefix.</b> Records are written in the order given, and what {@link #load} returns is a prefix
 * of everything ever given: a crash (or a write that failed) loses a tail, never a record in the middle.
 * After {@link #flush} returns, a process crash loses nothing recorded before it. The order stream flushes
 * before a frame goes out, so a restarted stream can vouch for every seq a client may hold, up to the last
 * one it loaded.
 *
 * <p><b>Threads.</b> {@link #load} once, before anything is recorded, off the event loop. The record
 * methods are called on the order stream's owner context in the order the frames go out; they hand the
 * bytes to the OS (no fsync): a write of a few hundred bytes per flush.
 */
public interface StreamJournal extends AutoCloseable {

    /** The records an earlier process left, oldest first: everything after the last {@link #barrier}. */
    Recorded load();

    /** Starts the records of this process: its epoch, sent in {@code subscribed} frames and heartbeats. */
    void generation(String epoch, long timeMs);

    /**
     * Everything recorded so far is to be forgotten on the next {@link #load} (it cannot be matched with the
     * state this process restored); what follows counts.
     */
    void barrier(long timeMs);

    /** A data frame sent to the account's subscribers (or kept for them): its wire bytes. */
    void frame(String account, long seq, long timeMs, byte[] wire);

    /**
     * A ledger snapshot covering {@code intentIndex} and {@code feedPositions} was taken here, between the
     * frames recorded before and after. Returns a token for {@link #snapshotDurable}.
     */
    long mark(long intentIndex, Map<Integer, Long> feedPositions);

    /**
     * The snapshot of {@link #mark}'s {@code token} is stored: records older than the two newest durable
     * snapshots and than {@code keepAfterMs} may be dropped.
     */
    void snapshotDurable(long token, long keepAfterMs);

    /** Hands everything recorded so far to the OS: a process crash no longer loses it. */
    void flush();

    /** Records given and not written because a write failed (0 while all is well). */
    long dropped();

    /** Flushes and stops; later records are ignored. */
    @Override
    void close();

    /** What {@link #load} found: the records in order, and whether they start at the journal's beginning. */
    record Recorded(boolean fromOrigin, List<Entry> entries) {
        public Recorded {
            entries = List.copyOf(entries);
        }

        public static Recorded empty() {
            return new Recorded(true, List.of());
        }
    }

    /** One record. */
    sealed interface Entry permits Generation, Frame, Mark {
    }

    /** A process started writing here, with this epoch. */
    record Generation(String epoch, long timeMs) implements Entry {
    }

    /** A data frame of {@code account} with its seq and wire bytes (UTF-8 JSON). */
    record Frame(String account, long seq, long timeMs, byte[] wire) implements Entry {
    }

    /** A snapshot of the ledger was taken here. */
    record Mark(long intentIndex, Map<Integer, Long> feedPositions) implements Entry {
        public Mark {
            feedPositions = Map.copyOf(feedPositions);
        }
    }

    /** A journal that keeps nothing: every restart is a new epoch whose resumes get a flagged snapshot. */
    StreamJournal NONE = new StreamJournal() {
        @Override
        public Recorded load() {
            return Recorded.empty();
        }

        @Override
        public void generation(String epoch, long timeMs) {
        }

        @Override
        public void barrier(long timeMs) {
        }

        @Override
        public void frame(String account, long seq, long timeMs, byte[] wire) {
        }

        @Override
        public long mark(long intentIndex, Map<Integer, Long> feedPositions) {
            return 0;
        }

        @Override
        public void snapshotDurable(long token, long keepAfterMs) {
        }

        @Override
        public void flush() {
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
        }
    };
}
