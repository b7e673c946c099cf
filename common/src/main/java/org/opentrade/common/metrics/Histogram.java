package org.opentrade.common.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed buckets: cumulative {@code _bucket{le="…"}} series, {@code _sum}
 * and {@code _count}. Values are recorded as longs in a raw unit (nanoseconds for {@link #seconds},
 * plain counts for {@link #counts}) and shown divided by the unit's scale. Any thread; recording is a
 * bucket search and three counter increments, never a lock.
 */
public final class Histogram {
    private final double[] bounds;
    private final double scale;
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();

    private Histogram(double[] bounds, double scale) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must rise: " + java.util.Arrays.toString(bounds));
            }
        }
        this.bounds = bounds.clone();
        this.scale = scale;
        this.buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Durations recorded in nanoseconds, shown in seconds; {@code bounds} in seconds. */
    public static Histogram seconds(double... bounds) {
        return new Histogram(bounds, 1e9);
    }

    /** Plain counts (sizes), shown as they are. */
    public static Histogram counts(double... bounds) {
        return new Histogram(bounds, 1);
    }

    /** Records one value in the raw unit (nanoseconds for {@link #seconds}). */
    public void record(long raw) {
        double v = raw / scale;
        int b = 0;
        while (b < bounds.length && v > bounds[b]) {
            b++;
        }
        buckets[b].increment();
        count.increment();
        sum.add(raw);
    }

    /** Values recorded so far. */
    public long count() {
        return count.sum();
    }

    /** Values recorded at most {@code bound} (one of the bounds), as the {@code le} series shows them. */
    public long countAtMost(double bound) {
        long n = 0;
        for (int i = 0; i < bounds.length && bounds[i] <= bound; i++) {
            n += buckets[i].sum();
        }
        return n;
    }

    /** Appends this histogram as {@code name} with its HELP and TYPE lines. */
    public void appendPrometheus(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            b.append(name).append("_bucket{le=\"").append(i < bounds.length ? Double.toString(bounds[i]) : "+Inf")
                    .append("\"} ").append(cumulative).append('\n');
        }
        b.append(name).append("_sum ").append(scale == 1 ? Long.toString(sum.sum()) : Double.toString(sum.sum() / scale))
                .append('\n');
        b.append(name).append("_count ").append(count.sum()).append('\n');
    }
}
