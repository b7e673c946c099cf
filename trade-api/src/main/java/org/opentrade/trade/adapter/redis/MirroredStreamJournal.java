package org.opentrade.trade.adapter.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.trade.port.StreamJournal;

/**
 * The order stream's journal kept twice, with trade-api's Redis store: in the data directory's files
 * ({@code local}, written to the OS before each frame goes out) and in Redis ({@code shared}, where a process of
 * the instance on another host finds it, sent before the frame goes out but acknowledged a moment later). A start
 * loads both and goes on from the one that holds the newest records: on the host that wrote them, the files,
 * which lack nothing a client was sent, not even across a Redis outage (the Redis copy stops recording at the
 * first failed write, and a client sent frames meanwhile would have got the flagged snapshot); on another host,
 * or after a process on another host served the instance, Redis.
 *
 * <p>Newest: the copy whose last generation (process start) is the later one; with the same last generation (the
 * last process to serve was of this host), the files, always, so a restart and a later start of this host read
 * the same history (a choice by length made a restart and a clean rebuild read different copies once the Redis
 * copy had stopped at an outage: their stream numbering differed). Thread-safety: as the two journals'.
 */
public final class MirroredStreamJournal implements StreamJournal {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MirroredStreamJournal.class);
    private final StreamJournal local;
    private final StreamJournal shared;
    private final Map<Long, long[]> tokens = new HashMap<>();
    private long nextToken;

    public MirroredStreamJournal(StreamJournal local, StreamJournal shared) {
        this.local = local;
        this.shared = shared;
    }

    @Override
    public Recorded load() {
        Recorded files = local.load();
        Recorded redis = shared.load();
        Recorded chosen = newest(files, redis);
        LOG.info("order stream journal: going on from the {} ({} records; the files hold {}, Redis {})",
                chosen == files ? "files" : "Redis copy", chosen.entries().size(), files.entries().size(),
                redis.entries().size());
        return chosen;
    }

    /** Of two loads of one instance's journal, the one to go on from (see the class comment). */
    static Recorded newest(Recorded local, Recorded shared) {
        int localAt = lastGeneration(local.entries());
        int sharedAt = lastGeneration(shared.entries());
        if (sharedAt < 0) {
            return local;
        }
        if (localAt < 0) {
            return shared;
        }
        Generation l = (Generation) local.entries().get(localAt);
        Generation s = (Generation) shared.entries().get(sharedAt);
        if (l.epoch().equals(s.epoch())) {
            return local; // this host's process wrote last: its files were written before each frame went out
        }
        return l.timeMs() > s.timeMs() ? local : shared;
    }

    private static int lastGeneration(List<Entry> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) instanceof Generation) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void generation(String epoch, long timeMs) {
        local.generation(epoch, timeMs);
        shared.generation(epoch, timeMs);
    }

    @Override
    public void barrier(long timeMs) {
        local.barrier(timeMs);
        shared.barrier(timeMs);
    }

    @Override
    public void frame(String account, long seq, long timeMs, byte[] wire) {
        local.frame(account, seq, timeMs, wire);
        shared.frame(account, seq, timeMs, wire);
    }

    @Override
    public synchronized long mark(long intentIndex, Map<Integer, Long> feedPositions) {
        long token = ++nextToken;
        tokens.put(token, new long[] {local.mark(intentIndex, feedPositions), shared.mark(intentIndex, feedPositions)});
        return token;
    }

    @Override
    public void snapshotDurable(long token, long keepAfterMs) {
        long[] both;
        synchronized (this) {
            both = tokens.remove(token);
            tokens.keySet().removeIf(t -> t < token);
        }
        if (both != null) {
            local.snapshotDurable(both[0], keepAfterMs);
            shared.snapshotDurable(both[1], keepAfterMs);
        }
    }

    @Override
    public void flush() {
        local.flush();
        shared.flush();
    }

    /** Records the copy that lost more could not keep (a Redis outage shows here, though the files kept them). */
    @Override
    public long dropped() {
        return Math.max(local.dropped(), shared.dropped());
    }

    @Override
    public void close() {
        try {
            local.close();
        } finally {
            shared.close();
        }
    }
}
