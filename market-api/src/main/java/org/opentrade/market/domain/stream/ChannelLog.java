package org.opentrade.market.domain.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One channel's sequence and its recent messages: {@link #append} gives each message the next seq
 * (1, 2, 3, … with no gap; 0 means nothing yet) and keeps it while it is among the last
 * {@link RetentionOptions#maxMessages()} and not older than {@link RetentionOptions#maxAgeMs()};
 * {@link #since} hands a resuming client exactly the messages it missed, or says it cannot.
 *
 * <p>The seq belongs to the channel, not to a connection, so a client may resume on another
 * connection of the same process. It starts again at 0 when the process restarts: a client resuming
 * with a seq newer than the head is told it is out of window.
 *
 * <p>Time is passed in (epoch ms of the caller's clock), never read here. A message is retained while
 * {@code now - appendedAt <= maxAgeMs}; with a clock that goes back, messages simply live longer.
 *
 * <p>Not thread-safe: one owner thread calls everything. A ring that grows by doubling up to
 * {@code maxMessages}, so a quiet channel costs a few dozen bytes, a busy one {@code 12 × maxMessages}
 * bytes plus its payloads.
 */
public final class ChannelLog<T> {
    private static final int INITIAL_CAPACITY = 16;

    private final RetentionOptions retention;
    private Object[] payloads;
    private long[] times;
    private int oldest;
    private int size;
    private long head;
    private final boolean stable;
    private long oldNumberingHead;

    /** A log this process numbers: its first message is seq 1. */
    public ChannelLog(RetentionOptions retention) {
        this(retention, 0, false);
    }

    /**
     * @param head   seq of the message before the first one appended
     * @param stable the seqs are the data's own ({@link ChannelSource#origin}): the same in every process,
     *               so a client's seq from another process means the same message here
     */
    public ChannelLog(RetentionOptions retention, long head, boolean stable) {
        if (head < 0) {
            throw new IllegalArgumentException("head " + head);
        }
        this.retention = Objects.requireNonNull(retention, "retention");
        this.head = head;
        this.stable = stable;
        int capacity = Math.min(INITIAL_CAPACITY, retention.maxMessages());
        this.payloads = new Object[capacity];
        this.times = new long[capacity];
    }

    /** The seq of the newest message; 0 before the first. */
    public long head() {
        return head;
    }

    /** Whether the seqs are the data's own, the same in every process (see the constructor). */
    public boolean stable() {
        return stable;
    }

    /**
     * Moves the head on to {@code seq} without messages, forgetting everything retained: for a stable log
     * whose data skipped numbers (messages this process never saw), so a client holding a seq before the
     * skip is out of window, never handed a replay with a hole. No-op when {@code seq <= head()}.
     */
    public void skipTo(long seq) {
        if (seq > head) {
            restartAt(seq);
        }
    }

    /**
     * Forgets everything retained and goes on at {@code seq} (the next message is {@code seq + 1}), below
     * the head too: for a stable log whose data is numbered again from lower (a new history), so no seq
     * of the old numbering is ever answered with a message of the new one.
     */
    public void restartAt(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq " + seq);
        }
        while (size > 0) {
            dropOldest();
        }
        if (seq < head) {
            oldNumberingHead = Math.max(oldNumberingHead, head);
        }
        head = seq;
    }

    /**
     * The highest seq an earlier numbering reached ({@link #restartAt} below the head), 0 if none: a
     * client's seq above the head and up to this one is of that numbering, not one to wait for.
     */
    public long oldNumberingHead() {
        return oldNumberingHead;
    }

    /** How many messages are retained now (as of the last {@link #append} or {@link #since}). */
    public int retained() {
        return size;
    }

    /** Appends {@code payload} as the next message and returns its seq ({@code head() + 1}). */
    public long append(T payload, long nowMs) {
        Objects.requireNonNull(payload, "payload");
        expire(nowMs);
        if (size == payloads.length) {
            if (size < retention.maxMessages()) {
                grow();
            } else {
                dropOldest();
            }
        }
        int slot = (oldest + size) % payloads.length;
        payloads[slot] = payload;
        times[slot] = nowMs;
        size++;
        return ++head;
    }

    /**
     * The messages after {@code seq} (the last one a client has), if all of them are still retained:
     * in order, no gap, no duplicate; {@code seq == head()} gives an empty in-window replay. Out of
     * window when {@code seq} is negative, newer than the head (a client of an earlier process), or
     * older than the oldest retained message allows.
     */
    @SuppressWarnings("unchecked")
    public Replay<T> since(long seq, long nowMs) {
        expire(nowMs);
        long firstRetained = head - size + 1;
        if (seq < 0 || seq > head || seq + 1 < firstRetained) {
            return Replay.outOfWindow();
        }
        int count = (int) (head - seq);
        List<T> out = new ArrayList<>(count);
        int skip = size - count;
        for (int i = 0; i < count; i++) {
            out.add((T) payloads[(oldest + skip + i) % payloads.length]);
        }
        return new Replay<>(true, seq + 1, out);
    }

    private void expire(long nowMs) {
        while (size > 0 && nowMs - times[oldest] > retention.maxAgeMs()) {
            dropOldest();
        }
    }

    private void dropOldest() {
        payloads[oldest] = null;
        oldest = (oldest + 1) % payloads.length;
        size--;
    }

    private void grow() {
        int capacity = (int) Math.min((long) payloads.length * 2, retention.maxMessages());
        Object[] p = new Object[capacity];
        long[] t = new long[capacity];
        for (int i = 0; i < size; i++) {
            p[i] = payloads[(oldest + i) % payloads.length];
            t[i] = times[(oldest + i) % payloads.length];
        }
        payloads = p;
        times = t;
        oldest = 0;
    }
}
