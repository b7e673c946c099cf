package org.opentrade.gateway.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Calls counted in this process and not yet written to the store, per key × route × minute.
 *
 * <p>{@link #add(UsageSample)} is the request path: lock-free (a map lookup and striped adders, no
 * allocation but the lookup key), safe from any number of threads. {@link #drain()} is called by one
 * flush at a time and takes everything counted so far; no call is ever lost or counted twice, even
 * when it races a drain.
 *
 * <p>A cell that saw no call between two drains is retired and removed, so memory stays bounded by the
 * slots active in about one flush interval. A writer may still hold a reference to a retiring cell:
 * each cell counts its writers in flight, a writer that finds the cell retired goes to a fresh one,
 * and a retired cell is drained once more when no writer is inside it (at once, or on a later drain).
 */
public final class UsageCounters {

    private record Slot(String keyId, String route, long epochMinute) {
    }

    private final ConcurrentHashMap<Slot, Cell> cells = new ConcurrentHashMap<>();
    /** Retired cells a writer was still inside when they were retired; touched by drain() only. */
    private final List<Map.Entry<Slot, Cell>> retiring = new ArrayList<>();

    /** Counts one call. */
    public void add(UsageSample s) {
        int status = s.status();
        add(new Slot(s.keyId(), s.route(), s.epochMinute()),
                status < 400 ? 1 : 0, status >= 400 && status < 500 ? 1 : 0, status >= 500 ? 1 : 0,
                s.latencyMicros(), s.latencyMicros());
    }

    /** Counts a row back in, e.g. after a failed flush. */
    public void add(UsageRow r) {
        add(new Slot(r.keyId(), r.route(), r.epochMinute()), r.calls2xx(), r.calls4xx(), r.calls5xx(),
                r.latencyMicrosTotal(), r.latencyMicrosMax());
    }

    private void add(Slot slot, long c2, long c4, long c5, long latencyTotal, long latencyMax) {
        while (true) {
            Cell cell = cells.get(slot);
            if (cell == null) {
                cell = cells.computeIfAbsent(slot, ignored -> new Cell());
            }
            if (cell.tryAdd(c2, c4, c5, latencyTotal, latencyMax)) {
                return;
            }
            cells.remove(slot, cell); // retired under us: help remove it, then use a fresh cell
        }
    }

    /** Takes every count made so far, merged per slot; the counters restart from zero. */
    public synchronized List<UsageRow> drain() {
        Map<Slot, UsageRow> out = new HashMap<>();
        for (var it = retiring.iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getValue().writers.get() == 0) {
                merge(out, entry.getKey(), entry.getValue().takeRow(entry.getKey()));
                it.remove();
            }
        }
        for (Map.Entry<Slot, Cell> entry : cells.entrySet()) {
            Slot slot = entry.getKey();
            Cell cell = entry.getValue();
            UsageRow row = cell.takeRow(slot);
            if (!isEmpty(row)) {
                merge(out, slot, row);
                continue;
            }
            // Idle since the last drain: retire. Writers that enter after this see the flag and go
            // elsewhere; one already inside is waited for by draining again when it has left.
            cell.retired = true;
            cells.remove(slot, cell);
            if (cell.writers.get() == 0) {
                merge(out, slot, cell.takeRow(slot));
            } else {
                retiring.add(entry);
            }
        }
        List<UsageRow> rows = new ArrayList<>(out.values());
        rows.removeIf(UsageCounters::isEmpty);
        return rows;
    }

    private static boolean isEmpty(UsageRow r) {
        return r.calls() == 0 && r.latencyMicrosTotal() == 0 && r.latencyMicrosMax() == 0;
    }

    /** The current counts matching {@code filter}, without taking them. */
    public synchronized List<UsageRow> peek(Predicate<UsageRow> filter) {
        Map<Slot, UsageRow> out = new HashMap<>();
        cells.forEach((slot, cell) -> merge(out, slot, cell.peekRow(slot)));
        retiring.forEach(e -> merge(out, e.getKey(), e.getValue().peekRow(e.getKey())));
        return out.values().stream().filter(r -> r.calls() > 0).filter(filter).toList();
    }

    private static void merge(Map<Slot, UsageRow> out, Slot slot, UsageRow row) {
        out.merge(slot, row, UsageCounters::sum);
    }

    /** Two counts of one slot added together. */
    public static UsageRow sum(UsageRow a, UsageRow b) {
        return new UsageRow(a.keyId(), a.route(), a.epochMinute(), a.calls2xx() + b.calls2xx(),
                a.calls4xx() + b.calls4xx(), a.calls5xx() + b.calls5xx(),
                a.latencyMicrosTotal() + b.latencyMicrosTotal(),
                Math.max(a.latencyMicrosMax(), b.latencyMicrosMax()));
    }

    private static final class Cell {
        final LongAdder calls2xx = new LongAdder();
        final LongAdder calls4xx = new LongAdder();
        final LongAdder calls5xx = new LongAdder();
        final LongAdder latencyTotal = new LongAdder();
        final LongAccumulator latencyMax = new LongAccumulator(Math::max, 0);
        final AtomicInteger writers = new AtomicInteger();
        volatile boolean retired;

        /** False, adding nothing, when the cell is retired. */
        boolean tryAdd(long c2, long c4, long c5, long latTotal, long latMax) {
            writers.incrementAndGet();
            try {
                if (retired) {
                    return false;
                }
                // Max first, counts after; takeRow reads in the opposite order. So a drain that takes
                // this call's counts also takes its max: a row never lacks the max of its calls.
                latencyMax.accumulate(latMax);
                latencyTotal.add(latTotal);
                calls2xx.add(c2);
                calls4xx.add(c4);
                calls5xx.add(c5);
                return true;
            } finally {
                writers.decrementAndGet();
            }
        }

        /**
         * Takes the counts; each adder resets atomically per stripe, so a racing add is kept for the
         * next drain. A racing call may leave its max here and its counts for the next drain: the max
         * is written anyway (a row with no calls), which only makes that row's max arrive early.
         */
        UsageRow takeRow(Slot s) {
            long c2 = calls2xx.sumThenReset();
            long c4 = calls4xx.sumThenReset();
            long c5 = calls5xx.sumThenReset();
            long total = latencyTotal.sumThenReset();
            return new UsageRow(s.keyId(), s.route(), s.epochMinute(), c2, c4, c5, total, latencyMax.getThenReset());
        }

        UsageRow peekRow(Slot s) {
            return new UsageRow(s.keyId(), s.route(), s.epochMinute(), calls2xx.sum(), calls4xx.sum(),
                    calls5xx.sum(), latencyTotal.sum(), latencyMax.get());
        }
    }
}
