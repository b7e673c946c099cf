package org.opentrade.exchange.client.feed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * A handler that records what it is given and checks the contract as it goes: every event of a
 * shard must be its position + 1. Its position is what it applied (persisted at once), unless a test
 * sets {@link #persistedLag}.
 */
final class RecordingHandler implements FeedHandler {
    final Map<Integer, Long> applied = new HashMap<>();
    final Map<Integer, List<Long>> seqs = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    /** When positive, onEvent throws once at this sequence. */
    long failAt;
    /** position() reports this much less than applied (a handler that persists in batches). */
    long persistedLag;
    /** Overrides position() of every shard when non-negative (e.g. a bad handler). */
    long forcedPosition = -1;

    @Override
    public long position(int shard) {
        if (forcedPosition >= 0) {
            return forcedPosition;
        }
        return Math.max(0, applied.getOrDefault(shard, 0L) - persistedLag);
    }

    @Override
    public void onEvent(ExchangeEvent e) {
        if (failAt > 0 && e.seq() == failAt) {
            failAt = 0;
            throw new IllegalStateException("database down at " + e.seq());
        }
        long last = applied.getOrDefault(e.shard(), 0L);
        if (e.seq() != last + 1) {
            violations.add("shard " + e.shard() + ": got " + e.seq() + " after " + last);
        }
        applied.put(e.shard(), e.seq());
        seqs.computeIfAbsent(e.shard(), s -> new ArrayList<>()).add(e.seq());
    }

    @Override
    public void onSnapshot(int shard, long seq, List<BookSnapshot> books) {
        calls.add("snapshot " + shard + " at " + seq + " of " + books.size());
        applied.put(shard, seq);
    }

    @Override
    public void onTruncated(int shard, long position, long firstKeptSeq) {
        calls.add("truncated " + shard + " at " + position + " first kept " + firstKeptSeq);
    }

    @Override
    public void onDiverged(int shard, long position, long exchangeHead) {
        calls.add("diverged " + shard + " at " + position + " head " + exchangeHead);
    }

    @Override
    public void onLive(int shard, long seq) {
        calls.add("live " + shard + " at " + seq);
    }

    @Override
    public void onFailure(int shard, long seq, Throwable cause) {
        calls.add("failure " + shard + " at " + seq + ": " + cause.getMessage());
    }

    long applied(int shard) {
        return applied.getOrDefault(shard, 0L);
    }

    List<Long> seqs(int shard) {
        return seqs.getOrDefault(shard, List.of());
    }
}
