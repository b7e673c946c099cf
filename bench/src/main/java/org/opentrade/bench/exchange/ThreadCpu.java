package org.opentrade.bench.exchange;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time (user + system) per thread of this JVM at one moment, read from {@link ThreadMXBean}:
 * the difference of two tells where the time of a run went (shard thread, the exchange's and the
 * consumer's event loops, workers, producer, collector). On a shared machine a thread's throughput
 * drifts with the load, its CPU per event much less, so both are reported.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpuNanos;
    private final Map<Long, String> names;
    private final long wallNanos;

    private ThreadCpu(Map<Long, Long> cpuNanos, Map<Long, String> names, long wallNanos) {
        this.cpuNanos = cpuNanos;
        this.names = names;
        this.wallNanos = wallNanos;
    }

    static ThreadCpu now() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = THREADS.getThreadCpuTime(t.getThreadId());
            if (ns >= 0) {
                cpu.put(t.getThreadId(), ns);
                names.put(t.getThreadId(), t.getThreadName());
            }
        }
        return new ThreadCpu(cpu, names, System.nanoTime());
    }

    /** CPU nanoseconds {@code thread} used since {@code before}. */
    long nanosOf(Thread thread, ThreadCpu before) {
        long id = thread.getId();
        return cpuNanos.getOrDefault(id, 0L) - before.cpuNanos.getOrDefault(id, 0L);
    }

    /** CPU nanoseconds used since {@code before} by every thread whose name starts with {@code prefix}. */
    long nanosOfNamed(String prefix, ThreadCpu before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : cpuNanos.entrySet()) {
            if (names.get(e.getKey()).startsWith(prefix)) {
                sum += e.getValue() - before.cpuNanos.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    /** Every thread's CPU since {@code before}, as a share of the wall time in between (100% = one core). */
    double coresSince(ThreadCpu before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : cpuNanos.entrySet()) {
            sum += e.getValue() - before.cpuNanos.getOrDefault(e.getKey(), 0L);
        }
        return (double) sum / (wallNanos - before.wallNanos);
    }

    /**
     * The busiest threads since {@code before}, as "name NN%" of the wall time in between (100% is
     * one core), those at 3% or more, busiest first; threads of a pool (same name but the number)
     * are summed as "name-*".
     */
    String busiestSince(ThreadCpu before) {
        double wall = wallNanos - before.wallNanos;
        Map<String, Long> byName = new HashMap<>();
        for (Map.Entry<Long, Long> e : cpuNanos.entrySet()) {
            String name = names.get(e.getKey());
            String key = name.startsWith("vert.x-worker-thread-") ? "vert.x-worker-thread-*" : name;
            byName.merge(key, e.getValue() - before.cpuNanos.getOrDefault(e.getKey(), 0L), Long::sum);
        }
        List<Map.Entry<String, Long>> used = new ArrayList<>(byName.entrySet());
        used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Long> e : used) {
            double pct = 100 * e.getValue() / wall;
            if (pct >= 3) {
                s.append(String.format(Locale.ROOT, "%s %.0f%%, ", e.getKey(), pct));
            }
        }
        return s.append(String.format(Locale.ROOT, "whole JVM %.0f%% (of %d cores)", 100 * coresSince(before),
                Runtime.getRuntime().availableProcessors())).toString();
    }
}
