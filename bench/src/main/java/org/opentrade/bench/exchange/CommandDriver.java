package org.opentrade.bench.exchange;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ResultCode;

/**
 * Submits pre-built commands to a {@link ShardedExchange} from one thread, either as fast as the
 * exchange takes them or paced at a fixed rate, and reports when the last one completed.
 *
 * <p>In flight is bounded at half the ring ({@link #window}): before submitting command {@code i}
 * the driver waits for the result of command {@code i - window}, blocking (the shard thread wakes it
 * when it completes that command's batch). So the ring never runs dry while the exchange is busy, the
 * driver burns no CPU while it waits (on 2 cores the shard and the event loops need it), and the
 * shard sees batches of up to half a ring, as it would behind a busy gateway. A full ring is still
 * possible for a moment (a shard completes a batch's futures before the Disruptor frees its slots):
 * then the driver parks {@value #OVERLOAD_PARK_MICROS} µs and resubmits the same command, and counts it.
 *
 * <p>Paced: command {@code i} is due at {@code start + i / rate}. When ahead, the driver parks until
 * the next due time and then submits every command that is due, so it wakes up about once per
 * 50-70 µs (the machine's timer slack), not once per command: bursts of tens of commands, the same
 * mean rate, and no core burnt spinning.
 */
final class CommandDriver {
    static final long OVERLOAD_PARK_MICROS = 50;

    /**
     * @param submitEndNanos    when the last command was handed over
     * @param completedNanos    when the last command's result completed (on the shard thread)
     * @param overloaded        ENGINE_OVERLOADED answers resubmitted
     */
    record Outcome(long startNanos, long submitEndNanos, long completedNanos, long overloaded, int commands) {
        double commandsPerSecond() {
            return commands * 1e9 / (completedNanos - startNanos);
        }

        double submittedPerSecond() {
            return commands * 1e9 / (submitEndNanos - startNanos);
        }
    }

    private CommandDriver() {
    }

    /** Commands a driver keeps in flight for a shard ring of {@code ringSize} slots: half of it. */
    static int window(int ringSize) {
        return Math.max(1, ringSize / 2);
    }

    /**
     * Submits {@code cs[from, from + n)}, at most {@code window} in flight; {@code rate} commands/s,
     * or 0 for as fast as the exchange takes them.
     */
    @SuppressWarnings("unchecked")
    static Outcome drive(ShardedExchange exchange, Command[] cs, int from, int n, long rate, int window) {
        CompletableFuture<CommandResult>[] inFlight = new CompletableFuture[window];
        long overloaded = 0;
        CompletableFuture<CommandResult> last = null;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (rate > 0) {
                long due = start + (long) i * 1_000_000_000L / rate;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
            }
            int slot = i % window;
            if (inFlight[slot] != null) {
                inFlight[slot].join();
            }
            while (true) {
                CompletableFuture<CommandResult> f = exchange.submit(cs[from + i]).toCompletableFuture();
                if (f.isDone() && f.join().code() == ResultCode.ENGINE_OVERLOADED) {
                    overloaded++;
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(OVERLOAD_PARK_MICROS));
                    continue;
                }
                inFlight[slot] = f;
                last = f;
                break;
            }
        }
        long submitted = System.nanoTime();
        long[] completed = new long[1];
        CommandResult r = last.whenComplete((v, e) -> completed[0] = System.nanoTime()).join();
        if (r.code() == ResultCode.JOURNAL_FAILURE || r.code() == ResultCode.ENGINE_UNAVAILABLE) {
            throw new IllegalStateException("exchange refused the stream: " + r.code());
        }
        return new Outcome(start, submitted, completed[0], overloaded, n);
    }
}
