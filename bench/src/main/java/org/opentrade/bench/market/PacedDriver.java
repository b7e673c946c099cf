package org.opentrade.bench.market;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out servers' driver: a daemon thread that runs a tick at {@code start + i × period} (open loop:
 * a late tick runs at once, none is skipped) until stopped. {@link #start} answers what a client needs to
 * time each tick from when it was due: {@code start_epoch_us}, {@code period_ns} and the {@code seq_base}
 * the caller passes (the channel seq of tick 0). Start and stop from any thread (synchronized).
 */
final class PacedDriver {
    private final String threadName;
    private volatile boolean driving;
    private Thread thread;

    PacedDriver(String threadName) {
        this.threadName = threadName;
    }

    /** Stops a running driver, then runs {@code tick} at {@code rate} per second from about 10 ms from now. */
    synchronized JsonObject start(double rate, long seqBase, Runnable tick) {
        stop();
        driving = true;
        long periodNs = (long) (1e9 / rate);
        long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        Instant now = Instant.now();
        long nowNs = System.nanoTime();
        long startEpochUs = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000 + (startNs - nowNs) / 1_000;
        Thread t = new Thread(() -> {
            for (long i = 0; driving; i++) {
                long due = startNs + i * periodNs;
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && driving) {
                    LockSupport.parkNanos(wait);
                }
                if (driving) {
                    tick.run();
                }
            }
        }, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
        return new JsonObject().put("start_epoch_us", startEpochUs).put("period_ns", periodNs).put("seq_base", seqBase);
    }

    /** Stops the driver and waits (up to 5 s) for its thread. */
    synchronized void stop() {
        driving = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
