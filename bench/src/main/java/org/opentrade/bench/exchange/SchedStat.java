package org.opentrade.bench.exchange;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Linux scheduler statistics of this JVM's threads whose OS name starts with a prefix
 * ({@code /proc/self/task/<tid>/schedstat}: nanoseconds on a CPU, nanoseconds runnable but waiting
 * for one), summed. Tells a thread that was slow because the machine's cores were taken (waiting for
 * a CPU) from one that waited for work or I/O (neither running nor waiting). Empty where there is no
 * such file. OS thread names are Java names cut to 15 characters.
 */
final class SchedStat {
    private static final Path TASKS = Path.of("/proc/self/task");

    private final long runNanos;
    private final long waitNanos;
    private final long wallNanos;
    private final boolean available;

    private SchedStat(long runNanos, long waitNanos, long wallNanos, boolean available) {
        this.runNanos = runNanos;
        this.waitNanos = waitNanos;
        this.wallNanos = wallNanos;
        this.available = available;
    }

    /** Now, summed over the threads whose OS name starts with {@code prefix} ("" for all). */
    static SchedStat of(String prefix) {
        long run = 0;
        long wait = 0;
        boolean any = false;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
                        continue;
                    }
                    String[] f = Files.readString(task.resolve("schedstat")).strip().split(" ");
                    run += Long.parseLong(f[0]);
                    wait += Long.parseLong(f[1]);
                    any = true;
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile, or the kernel has no schedstat: skip it
                }
            }
        } catch (IOException | RuntimeException noProc) {
            return new SchedStat(0, 0, System.nanoTime(), false);
        }
        return new SchedStat(run, wait, System.nanoTime(), any);
    }

    /**
     * "on a CPU NN%, waiting for a CPU NN%" of the wall time since {@code before} (100% = one
     * thread all the time), and for {@code threads} threads the rest ("neither": blocked in I/O or
     * waiting for work), or "n/a".
     */
    String since(SchedStat before, int threads) {
        if (!available || !before.available) {
            return "n/a";
        }
        double wall = wallNanos - before.wallNanos;
        double run = 100 * (runNanos - before.runNanos) / wall;
        double wait = 100 * (waitNanos - before.waitNanos) / wall;
        return String.format(Locale.ROOT, "on a CPU %.0f%%, waiting for a CPU %.0f%%", run, wait)
                + (threads > 0 ? String.format(Locale.ROOT, ", neither (blocked or idle) %.0f%%",
                100.0 * threads - run - wait) : "");
    }

    /** Share of the wall time since {@code before} spent runnable but waiting for a CPU; NaN if unknown. */
    double waitingShare(SchedStat before) {
        if (!available || !before.available) {
            return Double.NaN;
        }
        return (waitNanos - before.waitNanos) / (double) (wallNanos - before.wallNanos);
    }
}
