package org.opentrade.trade.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * How far trade-api may prune its intent log: through the index of the oldest snapshot the store still
 * keeps (every kept snapshot can then still start trade-api), and only once that snapshot is older than
 * the retention (so every pruned intent is older than it too). The store keeps the newest {@code keep}
 * snapshots; only those this process stored are counted, so nothing is pruned until it has stored
 * {@code keep} of its own (older ones, from before a restart, are gone by then). Pure; on the caller's
 * context.
 */
final class IntentPruning {
    private record Stored(long intentIndex, long atMs) {
    }

    private final int keep;
    private final long retentionMs;
    /** Snapshots this process stored, oldest first, from the last cut on. */
    private final Deque<Stored> stored = new ArrayDeque<>();
    private long lastCut;

    /**
     * @param keep        snapshots the store keeps (the newest ones), at least 1
     * @param retentionMs how old a snapshot must be before the intents it covers may go, at least 0
     */
    IntentPruning(int keep, long retentionMs) {
        if (keep < 1 || retentionMs < 0) {
            throw new IllegalArgumentException("keep must be >= 1 and retention >= 0, got " + keep + ", " + retentionMs);
        }
        this.keep = keep;
        this.retentionMs = retentionMs;
    }

    /**
     * A snapshot covering intents up to {@code intentIndex} was stored at {@code atMs}: the index the log
     * may now be pruned through (the newest snapshot that is the oldest kept or older, and at least the
     * retention old), or empty when that has not moved since the last answer.
     */
    OptionalLong stored(long intentIndex, long atMs) {
        stored.addLast(new Stored(intentIndex, atMs));
        int oldestKept = stored.size() - keep; // positions 0..oldestKept: the oldest kept one and older
        Stored cut = null;
        int position = 0;
        for (Stored s : stored) {
            if (position > oldestKept) {
                break;
            }
            if (atMs - s.atMs() >= retentionMs) {
                cut = s;
            }
            position++;
        }
        if (cut == null || cut.intentIndex() <= lastCut) {
            return OptionalLong.empty();
        }
        while (stored.peekFirst() != cut) {
            stored.removeFirst();
        }
        lastCut = cut.intentIndex();
        return OptionalLong.of(lastCut);
    }
}
