package org.opentrade.bench.fix;

import java.util.concurrent.locks.LockSupport;

/**
 * When each order of an open-loop run is due: order <i>i</i> at {@code startNs + i × 1e9 / rate}
 * ({@link System#nanoTime()} scale), whatever happened to the orders before it — a stall of the sender
 * or of the server makes every later order late from its due time, and the latency from the due time
 * shows it (no coordinated omission). The first {@link #warmupOrders()} orders are sent and answered
 * but not recorded. Immutable; {@link #awaitDue} is called on the sending thread.
 *
 * @param startNs      due time of order 0
 * @param rate         orders per second (&gt; 0)
 * @param warmupOrders orders due in the warm-up phase (not recorded)
 * @param totalOrders  all orders of the run, warm-up included
 */
public record FixedRateSchedule(long startNs, double rate, long warmupOrders, long totalOrders) {
    public FixedRateSchedule {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number: " + rate);
        }
        if (warmupOrders < 0 || totalOrders < warmupOrders) {
            throw new IllegalArgumentException("need 0 <= warm-up orders <= total orders: " + warmupOrders + ", "
                    + totalOrders);
        }
    }

    /** A run of {@code warmupSeconds} then {@code seconds} at {@code rate}, starting at {@code startNs}. */
    public static FixedRateSchedule of(long startNs, double rate, double warmupSeconds, double seconds) {
        if (warmupSeconds < 0 || seconds <= 0) {
            throw new IllegalArgumentException("need warm-up >= 0 and measured seconds > 0");
        }
        long warm = Math.round(rate * warmupSeconds);
        return new FixedRateSchedule(startNs, rate, warm, warm + Math.round(rate * seconds));
    }

    /** Due time of order {@code index}: computed from the start, so rounding never accumulates. */
    public long dueNanos(long index) {
        return startNs + Math.round(index * 1e9 / rate);
    }

    /** Whether order {@code index} is recorded (past the warm-up, inside the run). */
    public boolean measured(long index) {
        return index >= warmupOrders && index < totalOrders;
    }

    /** Orders recorded. */
    public long measuredOrders() {
        return totalOrders - warmupOrders;
    }

    /**
     * Returns at {@code dueNs} or at once if that has passed: parks until {@code spinNs} before it (a park
     * overshoots by tens of microseconds on Linux), then spins. Calling thread.
     */
    public static void awaitDue(long dueNs, long spinNs) {
        long wait;
        while ((wait = dueNs - System.nanoTime()) > spinNs) {
            LockSupport.parkNanos(wait - spinNs);
        }
        while (System.nanoTime() - dueNs < 0) {
            Thread.onSpinWait();
        }
    }
}
