package org.opentrade.exchange.client.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Follows the exchange's feed and hands every event of the chosen shards to a {@link FeedHandler}
 * exactly once, in sequence order per shard, across lost, duplicated and reordered live batches,
 * exchange restarts and its own restarts (see the module README for the argument).
 *
 * <p>Per shard: subscribe to the live batches, then replay from the handler's position + 1 page by
 * page while live batches are buffered; at the seam the buffer drains without gap or duplicate and
 * the shard goes live. A live gap, or a heartbeat whose head is ahead, starts a new replay. Failed,
 * timed-out, refused or unreadable replies are retried with backoff; nothing is ever skipped. When
 * the next events are no longer kept, {@link TruncationPolicy} decides. A durable consumer reports
 * its position every checkpoint interval.
 *
 * <p>Thread model: single-threaded. Every call into the handler, every transport callback and every
 * scheduler task runs on one thread (on Vert.x: one context); {@link #start}, {@link #stop} and
 * {@link #restart} may be called from any thread and hand over through {@link Scheduler#execute};
 * {@link #stats} reads volatile counters and may be called from any thread. No locks, no blocking.
 * Cost: per event one comparison and one handler call; live batches are buffered by reference.
 */
public final class FeedConsumer {
    private static final Logger LOG = Logger.getLogger(FeedConsumer.class.getName());

    private final FeedTransport transport;
    private final Scheduler scheduler;
    private final FeedHandler handler;
    private final FeedConsumerOptions options;
    private final Backoff infoBackoff;

    /** Replaced, never mutated, so {@link #stats} can read it from any thread. */
    private volatile List<ShardFollower> followers = List.of();
    private Checkpointer checkpointer;
    private boolean running;
    private int generation;
    private int shardCount;
    private Scheduler.Timer timer;

    public FeedConsumer(FeedTransport transport, Scheduler scheduler, FeedHandler handler,
                        FeedConsumerOptions options) {
        if (transport == null || scheduler == null || handler == null || options == null) {
            throw new IllegalArgumentException("transport, scheduler, handler and options are required");
        }
        this.transport = transport;
        this.scheduler = scheduler;
        this.handler = handler;
        this.options = options;
        this.infoBackoff = new Backoff(options.retryInitialMillis(), options.retryMaxMillis());
    }

    /** Asks the exchange for its shards (retrying until it answers), then starts every chosen shard. */
    public void start() {
        scheduler.execute(this::doStart);
    }

    /** Stops every shard after a last checkpoint; {@link #start} starts afresh from the handler's positions. */
    public void stop() {
        scheduler.execute(this::doStop);
    }

    /**
     * Restarts one shard from the handler's position + 1: after a handler failure, after a truncation
     * alarm was dealt with, or to force a resume. Does nothing before the consumer has started it.
     */
    public void restart(int shard) {
        scheduler.execute(() -> {
            for (ShardFollower f : followers) {
                if (f.shard() == shard && running && shard < shardCount) {
                    f.start();
                }
            }
        });
    }

    /** The counters of every followed shard (empty until the exchange has answered the info request). */
    public List<ShardStats> stats() {
        List<ShardStats> out = new ArrayList<>();
        for (ShardFollower f : followers) {
            out.add(f.counters().snapshot());
        }
        return out;
    }

    /** The counters of one shard, or null when it is not followed (yet). */
    public ShardStats stats(int shard) {
        for (ShardFollower f : followers) {
            if (f.shard() == shard) {
                return f.counters().snapshot();
            }
        }
        return null;
    }

    public FeedConsumerOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ on the consumer's thread

    private void doStart() {
        if (running) {
            return;
        }
        running = true;
        generation++;
        infoBackoff.reset();
        requestInfo(generation);
    }

    private void requestInfo(int gen) {
        if (gen != generation) {
            return;
        }
        try {
            Callbacks.whenDone(transport.info(), scheduler, (info, error) -> {
                if (gen != generation) {
                    return;
                }
                if (error != null || info == null) {
                    retryInfo(gen, error == null ? "empty reply" : error.toString());
                } else {
                    begin(info);
                }
            });
        } catch (RuntimeException e) {
            retryInfo(gen, e.toString());
        }
    }

    private void retryInfo(int gen, String problem) {
        long delay = infoBackoff.next();
        LOG.warning(() -> "feed info request failed (" + problem + "); retrying in " + delay + " ms");
        timer = scheduler.schedule(delay, () -> requestInfo(gen));
    }

    private void begin(FeedInfo info) {
        shardCount = info.shards();
        Set<Integer> chosen = new TreeSet<>(options.shards());
        if (chosen.isEmpty()) {
            for (int s = 0; s < info.shards(); s++) {
                chosen.add(s);
            }
        }
        List<ShardFollower> started = new ArrayList<>();
        for (int shard : chosen) {
            started.add(new ShardFollower(shard, transport, scheduler, handler, options));
        }
        followers = List.copyOf(started);
        for (ShardFollower f : started) {
            if (f.shard() >= info.shards()) {
                f.failUnknown(info.shards());
            } else {
                f.observeHead(info.headSeq(f.shard()));
                f.start();
            }
        }
        if (options.isDurable()) {
            checkpointer = new Checkpointer(options.consumerName(), transport, scheduler, handler);
            scheduleCheckpoint(generation);
        }
    }

    private void scheduleCheckpoint(int gen) {
        timer = scheduler.schedule(options.checkpointIntervalMillis(), () -> {
            if (gen == generation) {
                checkpointer.tick(followers);
                scheduleCheckpoint(gen);
            }
        });
    }

    private void doStop() {
        if (!running) {
            return;
        }
        running = false;
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (checkpointer != null) {
            checkpointer.tick(followers);
        }
        for (ShardFollower f : followers) {
            f.stop();
        }
    }
}
