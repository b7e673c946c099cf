package org.opentrade.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls not yet flushed to a usage store, per key × route × minute. {@link #add} takes only the row's
 * bin lock and is called on the request path from any event loop; {@link #drain} hands the counted rows to a flush
 * and {@link #restore} puts them back when the flush failed, so nothing is lost.
 */
public final class UsageCounters {
    private record RowKey(String keyId, String route, long minute) {
    }

    private static final class Cell {
        final LongAdder c2 = new LongAdder();
        final LongAdder c4 = new LongAdder();
        final LongAdder c5 = new LongAdder();
        final LongAdder latency = new LongAdder();
        final LongAccumulator max = new LongAccumulator(Math::max, 0);
    }

    private final Map<RowKey, Cell> cells = new ConcurrentHashMap<>();

    public void add(UsageSample s) {
        // compute() holds the row's bin lock, and drain()'s remove() takes the same lock: a call is
        // counted either in the drained row or in a new one, never in a row already read.
        cells.compute(new RowKey(s.keyId(), s.route(), s.epochMinute()), (k, c) -> {
            Cell cell = c != null ? c : new Cell();
            if (s.status() >= 500) {
                cell.c5.increment();
            } else if (s.status() >= 400) {
                cell.c4.increment();
            } else {
                cell.c2.increment();
            }
            cell.latency.add(s.latencyMicros());
            cell.max.accumulate(s.latencyMicros());
            return cell;
        });
    }

    /** Removes and returns every counted row. */
    public List<UsageRow> drain() {
        List<UsageRow> out = new ArrayList<>();
        for (RowKey k : List.copyOf(cells.keySet())) {
            Cell c = cells.remove(k);
            if (c != null) {
                out.add(row(k, c));
            }
        }
        return out;
    }

    /** Puts rows back (a failed flush); they are merged with calls counted since. */
    public void restore(List<UsageRow> rows) {
        for (UsageRow r : rows) {
            cells.compute(new RowKey(r.keyId(), r.route(), r.epochMinute()), (k, c) -> {
                Cell cell = c != null ? c : new Cell();
                cell.c2.add(r.calls2xx());
                cell.c4.add(r.calls4xx());
                cell.c5.add(r.calls5xx());
                cell.latency.add(r.latencyMicrosTotal());
                cell.max.accumulate(r.latencyMicrosMax());
                return cell;
            });
        }
    }

    /** A snapshot of the counted rows, without removing them. */
    public List<UsageRow> peek() {
        List<UsageRow> out = new ArrayList<>();
        cells.forEach((k, c) -> out.add(row(k, c)));
        return out;
    }

    /** Sums two rows of the same key × route × minute. */
    public static UsageRow merge(UsageRow a, UsageRow b) {
        return new UsageRow(a.keyId(), a.route(), a.epochMinute(), a.calls2xx() + b.calls2xx(),
                a.calls4xx() + b.calls4xx(), a.calls5xx() + b.calls5xx(),
                a.latencyMicrosTotal() + b.latencyMicrosTotal(), Math.max(a.latencyMicrosMax(), b.latencyMicrosMax()));
    }

    private static UsageRow row(RowKey k, Cell c) {
        return new UsageRow(k.keyId(), k.route(), k.minute(), c.c2.sum(), c.c4.sum(), c.c5.sum(), c.latency.sum(),
                c.max.get());
    }
}
