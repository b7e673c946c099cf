package org.opentrade.trade.domain.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One account's order-stream sequence and its recent messages. Unlike a market channel, the seq is not
 * made here: it is the ledger's per-account update seq, durable across restarts, and {@link #append} keeps
 * it as given. A message is retained while it is among the last {@link RetentionOptions#maxMessages()} and
 * not older than {@link RetentionOptions#maxAgeMs()}; {@link #since} hands a resuming client exactly the
 * messages it missed, or says it cannot.
 *
 * <p>Seqs must rise by one. The log tolerates what a publisher can get wrong without ever serving a gap
 * as if it were complete: a seq at or below the head is {@link Appended#STALE} (not kept); a seq that skips
 * ahead is {@link Appended#RESTARTED}: everything retained is dropped and the log goes on from it, so a
 * resume from before it is out of window.
 *
 * <p>Time is passed in (epoch ms of the caller's clock), never read here; with a clock that goes back,
 * messages simply live longer. Not thread-safe: one owner thread calls everything. A ring that grows by
 * doubling up to {@code maxMessages}, so a quiet account costs a few dozen bytes.
 */
public final class AccountLog<T> {
    private static final int INITIAL_CAPACITY = 16;

    /** What {@link #append} did with a message. */
    public enum Appended {
        /** Kept as the new head. */
        APPENDED,
        /** Kept as the new head after a seq gap; the messages before it were dropped. */
        RESTARTED,
        /** Not kept: its seq is not newer than the head. */
        STALE
    }

    private final RetentionOptions retention;
    private Object[] payloads;
    private long[] times;
    private int oldest;
    private int size;
    private long head;

    /** @param head the seq of the account's last update before this log existed (0: none) */
    public AccountLog(RetentionOptions retention, long head) {
        this.retention = Objects.requireNonNull(retention, "retention");
        if (head < 0) {
            throw new IllegalArgumentException("head seq must not be negative, was " + head);
        }
        int capacity = Math.min(INITIAL_CAPACITY, retention.maxMessages());
        this.payloads = new Object[capacity];
        this.times = new long[capacity];
        this.head = head;
    }

    /** The seq of the newest update; what the log was created with before the first append. */
    public long head() {
        return head;
    }

    /** How many messages are retained as of {@code nowMs} (expiring the old ones first). */
    public int retained(long nowMs) {
        expire(nowMs);
        return size;
    }

    /** Appends {@code payload} as update {@code seq}; see {@link Appended} for what happens to other seqs. */
    public Appended append(long seq, T payload, long nowMs) {
        Objects.requireNonNull(payload, "payload");
        if (seq <= head) {
            return Appended.STALE;
        }
        Appended result = Appended.APPENDED;
        if (seq != head + 1) {
            while (size > 0) {
                dropOldest();
            }
            result = Appended.RESTARTED;
        }
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
        head = seq;
        return result;
    }

    /**
     * The messages after {@code seq} (the last one a client has), if all of them are still retained: in
     * order, no gap, no duplicate; {@code seq == head()} gives an empty in-window replay. Out of window when
     * {@code seq} is negative, newer than the head, or older than the oldest retained message allows.
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
