package org.opentrade.common.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The wait of a graceful stop between "leaving" and "gone": first a notice period, in which callers
 * hear that this process is leaving (gateways through discovery, load balancers through
 * {@code /ready}) and requests they already sent arrive; then only as long as requests are still in
 * flight, at most a grace period in all. An idle process so stops about {@code notice} after it was
 * told to, a busy one when its last request is answered, and a stuck request cannot hold the stop
 * for more than {@code grace}.
 *
 * <p>Polls {@code inFlight} every {@value #POLL_MILLIS} ms on Vert.x timers: never blocks, and
 * {@code inFlight} must not either (a counter read).
 */
public final class Drain {
    /** How often the in-flight count is read once the notice is over. */
    public static final long POLL_MILLIS = 20;

    /**
     * How a drain ended.
     *
     * @param waitedMillis    from the start of the drain to its end
     * @param stillInFlight   requests in flight at the end: 0 unless the grace ran out
     */
    public record Outcome(long waitedMillis, int stillInFlight) {
        /** Whether nothing was in flight when the drain ended (the grace did not cut anything). */
        public boolean idle() {
            return stillInFlight == 0;
        }
    }

    private Drain() {
    }

    /** Throws IllegalArgumentException unless {@code 0 <= notice <= grace}. */
    public static void requireValid(Duration notice, Duration grace) {
        if (notice == null || grace == null || notice.isNegative() || grace.compareTo(notice) < 0) {
            throw new IllegalArgumentException("drain notice must be zero or positive and at most the grace, got notice "
                    + notice + " and grace " + grace);
        }
    }

    /**
     * Waits {@code notice}, then until {@code inFlight} reads 0, at most {@code grace} from now in all.
     * Both durations are zero or positive and {@code notice <= grace}. Never fails.
     */
    public static Future<Outcome> untilIdle(Vertx vertx, Duration notice, Duration grace, IntSupplier inFlight) {
        requireValid(notice, grace);
        long start = System.nanoTime();
        long graceNanos = grace.toNanos();
        Promise<Outcome> done = Promise.promise();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            int n = inFlight.getAsInt();
            long elapsed = System.nanoTime() - start;
            if (n <= 0 || elapsed >= graceNanos) {
                done.complete(new Outcome(elapsed / 1_000_000, Math.max(n, 0)));
            } else {
                vertx.setTimer(Math.max(1, Math.min(POLL_MILLIS, (graceNanos - elapsed) / 1_000_000)), id -> poll[0].run());
            }
        };
        if (notice.isZero()) {
            vertx.runOnContext(v -> poll[0].run());
        } else {
            vertx.setTimer(notice.toMillis(), id -> poll[0].run());
        }
        return done.future();
    }
}
