package org.opentrade.exchange.adapter.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.port.EventLog;

/**
 * The event log held in memory: the "no disk" option. Nothing survives the process, so
 * {@link #force} has nothing to do; memory is bounded only by {@link #deleteUpTo}, which forgets
 * exactly the events asked for.
 *
 * <p>Threads: the shard thread appends, commits, truncates and prunes; any thread reads. Appended
 * events wait in a list only the writer touches; {@link #commit} moves them under a write lock into
 * the readable window and then publishes {@link #readableSeq()}. A read copies at most
 * {@value #PAGE} references under the read lock and calls the consumer outside it, so a slow reader
 * never holds up the shard thread for more than one page copy.
 */
public final class InMemoryEventLog implements EventLog {
    /** Events copied per read-lock hold: larger pages mean fewer lock round trips per read, longer holds. */
    static final int PAGE = 256;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Committed events; guarded by {@link #lock}. */
    private final SeqWindow<ExchangeEvent> committed = new SeqWindow<>();
    /** Appended, not yet committed: {@code readableSeq + 1 .. lastSeq}. Writer thread only. */
    private final List<ExchangeEvent> pending = new ArrayList<>();
    /** Writer thread only. */
    private long lastSeq;
    private volatile long readableSeq;
    private volatile long firstSeq = 1;

    /**
     * Appends the batch, or nothing of it: throws {@link IllegalArgumentException} when a sequence
     * does not continue {@link #lastSeq()} by exactly one.
     */
    @Override
    public void append(List<ExchangeEvent> events) {
        long expected = lastSeq + 1;
        for (ExchangeEvent e : events) {
            if (e.seq() != expected) {
                throw new IllegalArgumentException("event seq " + e.seq() + " does not continue the log: expected "
                        + expected + "; nothing of the batch was appended");
            }
            expected++;
        }
        pending.addAll(events);
        lastSeq = expected - 1;
    }

    /** Not kept in memory: only a standby copies history, and a standby has storage. */
    @Override
    public void prependHistory(List<ExchangeEvent> events) {
        throw new UnsupportedOperationException("the in-memory event log keeps no history before its start");
    }

    @Override
    public void commit() {
        if (pending.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            for (ExchangeEvent e : pending) {
                committed.add(e);
            }
        } finally {
            lock.writeLock().unlock();
        }
        pending.clear();
        readableSeq = lastSeq;
    }

    /** Nothing to do: there is no stable storage. */
    @Override
    public void force() {
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public long readableSeq() {
        return readableSeq;
    }

    @Override
    public long firstSeq() {
        return firstSeq;
    }

    /**
     * Hands committed events from {@code afterSeq + 1} on, never skipping one: when
     * {@code afterSeq + 1} has been pruned (here or between two pages), the read stops there.
     */
    @Override
    public int read(long afterSeq, int max, Consumer<ExchangeEvent> consumer) {
        if (max <= 0) {
            return 0;
        }
        ExchangeEvent[] page = new ExchangeEvent[Math.min(max, PAGE)];
        long from = afterSeq + 1;
        int handed = 0;
        while (handed < max) {
            int n;
            lock.readLock().lock();
            try {
                if (from < committed.firstSeq()) {
                    break;
                }
                long end = Math.min(readableSeq, committed.lastSeq());
                n = (int) Math.max(0, Math.min(end - from + 1, Math.min(max - handed, page.length)));
                for (int i = 0; i < n; i++) {
                    page[i] = committed.get(from + i);
                }
            } finally {
                lock.readLock().unlock();
            }
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                consumer.accept(page[i]);
            }
            handed += n;
            from += n;
        }
        return handed;
    }

    /**
     * Drops appended and committed events after {@code seq}; the next append continues at
     * {@code seq + 1}. Recovery only: a reader racing it may still be handed events being dropped.
     */
    @Override
    public void truncateAfter(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("cannot truncate the event log after a negative seq: " + seq);
        }
        if (seq >= lastSeq) {
            return;
        }
        long readable = readableSeq;
        pending.subList((int) Math.max(0, seq - readable), pending.size()).clear();
        lastSeq = seq;
        if (seq < readable) {
            lock.writeLock().lock();
            try {
                committed.dropAfter(seq);
                readableSeq = seq;
                firstSeq = committed.firstSeq();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** Forgets every event; the next append continues at {@code seq + 1}. Recovery only. */
    @Override
    public void resetAfter(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("cannot reset the event log after a negative seq: " + seq);
        }
        lock.writeLock().lock();
        try {
            pending.clear();
            committed.restartAfter(seq);
            lastSeq = seq;
            readableSeq = seq;
            firstSeq = seq + 1;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets exactly the committed events up to {@code seq}; appended, uncommitted ones stay. */
    @Override
    public void deleteUpTo(long seq) {
        lock.writeLock().lock();
        try {
            committed.forgetUpTo(seq);
            firstSeq = committed.firstSeq();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The time of a committed, kept event; -1 otherwise (also for appended, uncommitted ones). */
    @Override
    public long timestampOf(long seq) {
        lock.readLock().lock();
        try {
            if (seq < committed.firstSeq() || seq > Math.min(readableSeq, committed.lastSeq())) {
                return -1;
            }
            return committed.get(seq).timestamp();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Nothing to release; the events stay readable. */
    @Override
    public void close() {
    }
}
