package org.opentrade.exchange.client.feed;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.ShardSnapshot;

/**
 * One shard of a {@link FeedConsumer}: the state machine that turns a lossy, duplicating,
 * reordering live feed plus a paged replay into each event exactly once, in order.
 *
 * <p>The one invariant: {@code delivered} is the last sequence handed to the handler, and an event
 * is handed over only when its sequence is {@code delivered + 1}. Everything else — gap, duplicate,
 * overlap, seam — is a comparison with it. Live batches that cannot be delivered yet wait in a
 * bounded {@link LiveBuffer} while a replay fills the hole.
 *
 * <p>Single-threaded: every method runs on the consumer's thread. A {@code generation} number,
 * bumped on every stop and restart, makes late replies and deliveries of an earlier life harmless.
 */
final class ShardFollower {
    private static final Logger LOG = Logger.getLogger(FeedConsumer.class.getName());

    private final int shard;
    private final FeedTransport transport;
    private final Scheduler scheduler;
    private final FeedHandler handler;
    private final FeedConsumerOptions options;
    private final LiveBuffer buffer;
    private final Backoff backoff;
    private final ShardCounters counters;

    private ShardState state = ShardState.STOPPED;
    private long delivered;
    private int generation;
    private boolean requestInFlight;
    private Subscription subscription;
    private Scheduler.Timer retryTimer;

    ShardFollower(int shard, FeedTransport transport, Scheduler scheduler, FeedHandler handler,
                  FeedConsumerOptions options) {
        this.shard = shard;
        this.transport = transport;
        this.scheduler = scheduler;
        this.handler = handler;
        this.options = options;
        this.buffer = new LiveBuffer(options.maxBufferedEvents());
        this.backoff = new Backoff(options.retryInitialMillis(), options.retryMaxMillis());
        this.counters = new ShardCounters(shard);
    }

    int shard() {
        return shard;
    }

    long delivered() {
        return delivered;
    }

    ShardState state() {
        return state;
    }

    ShardCounters counters() {
        return counters;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Subscribes, reads the handler's position and resumes after it. Also restarts a stopped shard. */
    void start() {
        halt(ShardState.RESUMING);
        int gen = generation;
        try {
            subscription = transport.subscribe(shard, batch -> {
                if (gen == generation) {
                    onLive(batch);
                }
            });
        } catch (RuntimeException e) {
            retry("subscribing failed", e, this::start);
            return;
        }
        long position;
        try {
            position = handler.position(shard);
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            fail(0, t);
            return;
        }
        if (position < 0) {
            fail(0, new IllegalStateException("position(" + shard + ") returned " + position + "; 0 means none"));
            return;
        }
        delivered = position;
        counters.delivered = position;
        beginResume();
    }

    void stop() {
        halt(ShardState.STOPPED);
    }

    /** Stops a configured shard the exchange does not have, and says so. */
    void failUnknown(int shardCount) {
        fail(0, new IllegalArgumentException("shard " + shard + " does not exist: the exchange has " + shardCount
                + " shards (0.." + (shardCount - 1) + ")"));
    }

    void observeHead(long head) {
        if (head > counters.head) {
            counters.head = head;
        }
    }

    // ------------------------------------------------------------------ live

    private void onLive(FeedBatch b) {
        if (state.isStopped()) {
            return;
        }
        String problem = FeedChecks.liveProblem(shard, b);
        if (problem != null) {
            counters.malformed++;
            counters.lastProblem = problem;
            LOG.warning(() -> "shard " + shard + ": dropped a live batch: " + problem);
            return;
        }
        observeHead(b.headSeq());
        if (b.events().isEmpty()) {
            if (state == ShardState.LIVE && b.headSeq() > delivered) {
                counters.gaps++;
                LOG.info(() -> "shard " + shard + ": heartbeat says head " + b.headSeq() + " but delivered "
                        + delivered + " (lost tail); resuming");
                beginResume();
            }
            return;
        }
        if (b.lastSeq() <= delivered) {
            counters.duplicates += b.events().size();
            return;
        }
        if (state == ShardState.LIVE) {
            if (b.firstSeq() <= delivered + 1) {
                counters.duplicates += delivered + 1 - b.firstSeq();
                deliver(b);
                return;
            }
            counters.gaps++;
            LOG.info(() -> "shard " + shard + ": gap: expected " + (delivered + 1) + ", got " + b.firstSeq()
                    + "; resuming");
            buffer.add(b);
            beginResume();
            return;
        }
        if (!buffer.add(b)) {
            counters.bufferOverflows++;
            counters.lastProblem = "live buffer exceeded " + options.maxBufferedEvents() + " events; dropped it";
        }
        if (state == ShardState.RESUMING) {
            drain();
        }
    }

    // ------------------------------------------------------------------ resume

    private void beginResume() {
        state = ShardState.RESUMING;
        counters.state = state;
        counters.resumes++;
        requestPage();
    }

    private void requestPage() {
        if (requestInFlight || state != ShardState.RESUMING) {
            return;
        }
        long after = delivered;
        request(() -> transport.replay(shard, after, options.replayPageSize()), "replay",
                (batch, error) -> onPage(after, batch, error), this::requestPage);
    }

    private void onPage(long after, FeedBatch b, Throwable error) {
        if (state != ShardState.RESUMING) {
            return;
        }
        if (error != null) {
            retry("replay after " + after + " failed", error, this::requestPage);
            return;
        }
        String problem = FeedChecks.pageProblem(shard, after, b);
        if (problem != null) {
            retry(problem, null, this::requestPage);
            return;
        }
        if (!b.isOk()) {
            if (b.code() == ResultCode.EVENTS_NOT_RETAINED) {
                onNotRetained(b.firstKeptSeq());
            } else if (b.code() == ResultCode.BAD_FEED_REQUEST && b.firstKeptSeq() > 0 && b.headSeq() < after
                    && options.truncation() == TruncationPolicy.ALARM) {
                // (the shard's own refusal, which reports its head and first kept seq, at least 1; a request
                // refused before it reached a shard says 0 for both)
                onBehind(after, b.headSeq());
            } else {
                retry("replay after " + after + " refused: " + b.code().code() + " " + b.code()
                        + (b.message() == null ? "" : " (" + b.message() + ")"), null, this::requestPage);
            }
            return;
        }
        if (b.headSeq() < after) {
            if (options.truncation() == TruncationPolicy.ALARM) {
                onBehind(after, b.headSeq());
                return;
            }
            retry("the exchange's head " + b.headSeq() + " is behind this consumer's position " + after
                    + " (exchange restarting, or reset?); not following until it catches up", null, this::requestPage);
            return;
        }
        observeHead(b.headSeq());
        long before = delivered;
        if (!deliver(b) || !drain()) {
            return;
        }
        if (buffer.isEmpty() && delivered >= b.headSeq()) {
            goLive();
        } else if (delivered > before) {
            backoff.reset();
            requestPage();
        } else {
            retry("replay after " + after + " brought nothing new (head " + b.headSeq() + ")", null,
                    this::requestPage);
        }
    }

    private void goLive() {
        state = ShardState.LIVE;
        counters.state = state;
        backoff.reset();
        LOG.fine(() -> "shard " + shard + ": live at " + delivered);
        try {
            handler.onLive(shard, delivered);
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            LOG.log(Level.WARNING, "shard " + shard + ": onLive threw; ignored", t);
        }
    }

    // ------------------------------------------------------------------ truncation

    private void onNotRetained(long firstKeptSeq) {
        counters.lastProblem = "events after " + delivered + " are no longer kept (first kept " + firstKeptSeq + ")";
        if (options.truncation() == TruncationPolicy.ALARM) {
            halt(ShardState.TRUNCATED);
            LOG.severe(() -> "shard " + shard + ": " + counters.lastProblem + "; stopped (TruncationPolicy.ALARM)");
            long position = delivered;
            try {
                handler.onTruncated(shard, position, firstKeptSeq);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                LOG.log(Level.WARNING, "shard " + shard + ": onTruncated threw; ignored", t);
            }
            return;
        }
        LOG.warning(() -> "shard " + shard + ": " + counters.lastProblem + "; loading a shard snapshot");
        state = ShardState.SNAPSHOTTING;
        counters.state = state;
        requestSnapshot();
    }

    /**
     * A replay answer says the exchange's shard ends at {@code head}, before this consumer's position.
     * The exchange's head never moves back within one history (events are logged before they are
     * published, and it serves the feed only once recovered), so this consumer applied events the
     * exchange no longer has, and the events it numbers from {@code head + 1} on are others. With ALARM
     * the shard stops: waiting until the head passes the position, then going on, would apply the new
     * history's events on top of the old one's and silently skip the ones numbered up to the position.
     */
    private void onBehind(long position, long head) {
        observeHead(head);
        halt(ShardState.DIVERGED);
        counters.lastProblem = "the exchange's shard " + shard + " ends at event " + head + " but this consumer has"
                + " applied its events up to " + position + ": the exchange's data was reset or lost events this"
                + " consumer saw, so the two histories differ";
        LOG.severe(() -> "shard " + shard + ": " + counters.lastProblem + "; stopped (TruncationPolicy.ALARM)");
        try {
            handler.onDiverged(shard, position, head);
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            LOG.log(Level.WARNING, "shard " + shard + ": onDiverged threw; ignored", t);
        }
    }

    private void requestSnapshot() {
        if (requestInFlight || state != ShardState.SNAPSHOTTING) {
            return;
        }
        request(() -> transport.shardSnapshot(shard, true), "shard snapshot", this::onSnapshot,
                this::requestSnapshot);
    }

    private void onSnapshot(ShardSnapshot snapshot, Throwable error) {
        if (state != ShardState.SNAPSHOTTING) {
            return;
        }
        if (error != null) {
            retry("shard snapshot failed", error, this::requestSnapshot);
            return;
        }
        String problem = FeedChecks.snapshotProblem(shard, snapshot);
        if (problem != null) {
            retry(problem, null, this::requestSnapshot);
            return;
        }
        long seq = snapshot.seq();
        if (seq > delivered) {
            int gen = generation;
            try {
                handler.onSnapshot(shard, seq, snapshot.books());
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                fail(seq, t);
                return;
            }
            if (gen != generation) {
                return;
            }
            delivered = seq;
            counters.delivered = seq;
            counters.snapshots++;
            observeHead(seq);
        }
        state = ShardState.RESUMING;
        counters.state = state;
        backoff.reset();
        requestPage();
    }

    // ------------------------------------------------------------------ delivery

    /** Hands over the events of {@code b} after {@code delivered}; false when the shard stopped meanwhile. */
    private boolean deliver(FeedBatch b) {
        int gen = generation;
        for (ExchangeEvent e : b.events()) {
            long seq = e.seq();
            if (seq <= delivered) {
                continue;
            }
            if (seq != delivered + 1) {
                break;
            }
            try {
                handler.onEvent(e);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                counters.delivered = delivered;
                fail(seq, t);
                return false;
            }
            if (gen != generation) {
                counters.delivered = seq;
                delivered = seq;
                return false;
            }
            delivered = seq;
        }
        counters.delivered = delivered;
        return true;
    }

    /** Delivers buffered batches that continue {@code delivered}; false when the shard stopped meanwhile. */
    private boolean drain() {
        for (FeedBatch first = buffer.first(); first != null; first = buffer.first()) {
            if (first.firstSeq() > delivered + 1) {
                return true;
            }
            buffer.removeFirst();
            if (first.lastSeq() > delivered && !deliver(first)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ requests, retries, stops

    /** Sends one request at a time; a reply of an earlier generation is ignored. */
    private <T> void request(Supplier<CompletionStage<T>> send, String what,
                             java.util.function.BiConsumer<T, Throwable> onReply, Runnable again) {
        CompletionStage<T> stage;
        try {
            stage = send.get();
        } catch (RuntimeException e) {
            retry(what + " could not be sent", e, again);
            return;
        }
        requestInFlight = true;
        int gen = generation;
        Callbacks.whenDone(stage, scheduler, (value, error) -> {
            if (gen == generation) {
                requestInFlight = false;
                onReply.accept(value, error);
            }
        });
    }

    private void retry(String problem, Throwable cause, Runnable again) {
        counters.retries++;
        counters.lastProblem = cause == null ? problem : problem + ": " + cause;
        long delay = backoff.next();
        LOG.warning(() -> "shard " + shard + ": " + counters.lastProblem + "; retrying in " + delay + " ms");
        int gen = generation;
        retryTimer = scheduler.schedule(delay, () -> {
            if (gen == generation) {
                retryTimer = null;
                again.run();
            }
        });
    }

    private void fail(long seq, Throwable cause) {
        halt(ShardState.FAILED);
        counters.lastProblem = "handler failed at " + seq + ": " + cause;
        LOG.log(Level.SEVERE, "shard " + shard + ": stopped at position " + delivered + ", failure at " + seq
                + "; nothing skipped: restart(" + shard + ") resumes at the handler's position + 1", cause);
        try {
            handler.onFailure(shard, seq, cause);
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            LOG.log(Level.WARNING, "shard " + shard + ": onFailure threw; ignored", t);
        }
    }

    /** Ends the current life: no more deliveries, replies or retries of it reach this shard. */
    private void halt(ShardState next) {
        generation++;
        state = next;
        counters.state = next;
        requestInFlight = false;
        buffer.clear();
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }
}
