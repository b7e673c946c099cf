package org.opentrade.exchange.adapter.memory;

import java.util.ArrayList;

/**
 * The kept part {@code [firstSeq, lastSeq]} of a gap-free sequence numbered from 1: add at the end,
 * forget at the front, drop at the end, get by sequence. Not thread-safe: the owner guards it.
 *
 * <p>Cost: {@link #get} is O(1) and copies nothing. Forgetting is amortised O(1) per forgotten item:
 * slots are cleared at once (so the items can be collected) and the backing list is compacted only
 * when the forgotten head is at least as long as what is kept.
 */
final class SeqWindow<T> {
    private final ArrayList<T> items = new ArrayList<>();
    /** Index in {@link #items} of {@link #firstSeq}; the slots before it are cleared. */
    private int head;
    private long firstSeq = 1;

    long firstSeq() {
        return firstSeq;
    }

    long lastSeq() {
        return firstSeq + (items.size() - head) - 1;
    }

    /** Adds an item after the last and returns its sequence. */
    long add(T item) {
        items.add(item);
        return lastSeq();
    }

    /** The item with sequence {@code seq}; the caller checks {@code firstSeq() <= seq <= lastSeq()}. */
    T get(long seq) {
        return items.get(head + (int) (seq - firstSeq));
    }

    /** Forgets items up to {@code seq} (all of them when {@code seq >= lastSeq()}); never the later ones. */
    void forgetUpTo(long seq) {
        long upTo = Math.min(seq, lastSeq());
        if (upTo < firstSeq) {
            return;
        }
        int n = (int) (upTo - firstSeq + 1);
        for (int i = head; i < head + n; i++) {
            items.set(i, null);
        }
        head += n;
        firstSeq = upTo + 1;
        if (head >= items.size() - head) {
            items.subList(0, head).clear();
            head = 0;
        }
    }

    /**
     * Drops items after {@code seq}, so the next {@link #add} gets {@code seq + 1}. When {@code seq} is
     * before the kept part, everything kept is dropped and numbering restarts at {@code seq + 1}.
     */
    void dropAfter(long seq) {
        if (seq >= lastSeq()) {
            return;
        }
        if (seq < firstSeq - 1) {
            items.clear();
            head = 0;
            firstSeq = seq + 1;
            return;
        }
        items.subList(head + (int) (seq - firstSeq + 1), items.size()).clear();
    }

    /** Forgets everything; the next {@link #add} gets {@code seq + 1}. */
    void restartAfter(long seq) {
        items.clear();
        head = 0;
        firstSeq = seq + 1;
    }
}
