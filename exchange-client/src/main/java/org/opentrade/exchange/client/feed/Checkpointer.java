package org.opentrade.exchange.client.feed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the exchange, every checkpoint interval, how far a durable consumer has got on each shard,
 * so the exchange may prune what every consumer has. Sends only when a shard advanced and its
 * previous checkpoint was answered. Single-threaded: the consumer's thread.
 *
 * <p>It reports {@code min(delivered, handler.position(shard))}: what the handler has made durable,
 * never more than was delivered. A handler that persists in batches thus never lets the exchange
 * prune events it would need after a crash.
 */
final class Checkpointer {
    private static final Logger LOG = Logger.getLogger(FeedConsumer.class.getName());

    private final String consumer;
    private final FeedTransport transport;
    private final Scheduler scheduler;
    private final FeedHandler handler;
    private final Map<Integer, Boolean> inFlight = new HashMap<>();

    Checkpointer(String consumer, FeedTransport transport, Scheduler scheduler, FeedHandler handler) {
        this.consumer = consumer;
        this.transport = transport;
        this.scheduler = scheduler;
        this.handler = handler;
    }

    /** Sends a checkpoint for every shard that advanced since its last acknowledged one. */
    void tick(List<ShardFollower> followers) {
        for (ShardFollower f : followers) {
            int shard = f.shard();
            if (inFlight.getOrDefault(shard, false)) {
                continue;
            }
            long seq;
            try {
                seq = Math.min(f.delivered(), handler.position(shard));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "shard " + shard + ": position() threw; no checkpoint this time", e);
                continue;
            }
            ShardCounters counters = f.counters();
            if (seq <= counters.checkpointed) {
                continue;
            }
            send(shard, seq, counters);
        }
    }

    private void send(int shard, long seq, ShardCounters counters) {
        try {
            inFlight.put(shard, true);
            Callbacks.whenDone(transport.checkpoint(consumer, shard, seq), scheduler, (ok, error) -> {
                inFlight.put(shard, false);
                if (error != null) {
                    LOG.fine(() -> "shard " + shard + ": checkpoint " + seq + " failed (next interval retries): "
                            + error);
                } else if (seq > counters.checkpointed) {
                    counters.checkpointed = seq;
                }
            });
        } catch (RuntimeException e) {
            inFlight.put(shard, false);
            LOG.log(Level.FINE, "shard " + shard + ": checkpoint could not be sent", e);
        }
    }
}
