package org.opentrade.bench.exchange;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * The feed benchmark's consumer: counts events, checks that each one continues the last (the
 * consumer library promises it; a break fails the run instead of being measured), and stamps the
 * arrival of two chosen sequences, so a rate is taken from the first to the last event of a measured
 * part without reading the clock per event.
 *
 * <p>Called on the consumer's event loop only. {@link #awaitSeq} and {@link #expect} are called from
 * another thread (the harness) and hand their request over to the consumer's thread through
 * {@code consumerThread}, so arming and delivering never race. Cost per event: two comparisons.
 */
final class FeedCounter implements FeedHandler {
    /** Arrival times ({@link System#nanoTime}) of the first and the last expected event. */
    record Window(long firstNanos, long lastNanos) {
        long nanos() {
            return lastNanos - firstNanos;
        }
    }

    private final Executor consumerThread;
    private long last;
    private long waitFor = Long.MAX_VALUE;
    private CompletableFuture<Long> reached;
    private long first = Long.MAX_VALUE;
    private long lastExpected = Long.MAX_VALUE;
    private long firstNanos;
    private CompletableFuture<Window> window;
    private final CompletableFuture<Long> live = new CompletableFuture<>();

    /** @param consumerThread runs a task on the consumer's event loop (its context's runOnContext) */
    FeedCounter(Executor consumerThread) {
        this.consumerThread = consumerThread;
    }

    @Override
    public long position(int shard) {
        return last;
    }

    @Override
    public void onEvent(ExchangeEvent e) {
        long seq = e.seq();
        if (seq != last + 1 || e.shard() != 0) {
            IllegalStateException broken = new IllegalStateException("feed order broken: event seq " + seq
                    + " of shard " + e.shard() + " after " + last + " (expected shard 0, seq " + (last + 1) + ")");
            failAll(broken);
            throw broken;
        }
        last = seq;
        if (seq == first) {
            firstNanos = System.nanoTime();
        }
        if (seq == lastExpected) {
            window.complete(new Window(firstNanos, System.nanoTime()));
        }
        if (seq == waitFor) {
            waitFor = Long.MAX_VALUE;
            reached.complete(seq);
        }
    }

    @Override
    public void onLive(int shard, long seq) {
        live.complete(seq);
    }

    @Override
    public void onTruncated(int shard, long position, long firstKeptSeq) {
        failAll(new IllegalStateException("events after " + position + " are no longer kept (first kept "
                + firstKeptSeq + ")"));
    }

    @Override
    public void onFailure(int shard, long seq, Throwable cause) {
        failAll(new IllegalStateException("consumer stopped at event " + seq, cause));
    }

    /** Completes with the seq at which the consumer first went live (caught up). */
    CompletableFuture<Long> live() {
        return live;
    }

    /** Completes once the consumer has delivered every event up to {@code seq} (at once if it has). */
    CompletableFuture<Long> awaitSeq(long seq) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        consumerThread.execute(() -> {
            if (last >= seq) {
                f.complete(last);
            } else {
                waitFor = seq;
                reached = f;
            }
        });
        return f;
    }

    /**
     * Arms the stamps for events {@code firstSeq..lastSeq}, which must all be still to come; returns
     * once armed (call it from any thread but the consumer's). The window completes when
     * {@code lastSeq} arrives.
     */
    CompletableFuture<Window> expect(long firstSeq, long lastSeq) {
        CompletableFuture<Window> w = new CompletableFuture<>();
        CompletableFuture<Void> armed = new CompletableFuture<>();
        consumerThread.execute(() -> {
            if (firstSeq <= last || lastSeq < firstSeq) {
                armed.completeExceptionally(new IllegalStateException("cannot expect " + firstSeq + ".." + lastSeq
                        + ": delivered up to " + last + " already"));
                return;
            }
            first = firstSeq;
            lastExpected = lastSeq;
            window = w;
            armed.complete(null);
        });
        armed.join();
        return w;
    }

    private void failAll(RuntimeException e) {
        if (window != null) {
            window.completeExceptionally(e);
        }
        if (reached != null) {
            reached.completeExceptionally(e);
        }
        live.completeExceptionally(e);
    }
}
