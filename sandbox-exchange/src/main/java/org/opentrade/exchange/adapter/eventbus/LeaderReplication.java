package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.domain.failover.LeaderRecord;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.port.LeadershipRegister;
import org.opentrade.exchange.port.ReplicaSink;

/**
 * The leading exchange's side of failover: hands a standby an image of each shard on request, then
 * sends it every committed batch before the batch runs ({@link ReplicaSink}).
 *
 * <p>A standby attached by an image is first sent batches without waiting (it may still be installing
 * the image, and answers them only once it runs them: they may go unanswered for the catch-up timeout,
 * far longer than the replication timeout, before the leader gives the standby up). Once it has acknowledged every batch sent to it on every shard of the group, the
 * leadership register names it in sync ({@link LeaderRecord#withInSync}), and from then on each batch
 * waits for its acknowledgement (up to the replication timeout) before it runs. A standby that does
 * not answer in time is first written out of the register ({@link LeaderRecord#withoutInSync}), then
 * dropped, and the leader runs alone until it attaches again. Any register write that finds another
 * record than this leader's means another process leads: every later batch is refused
 * ({@link ReplicaSink.FencedException}).
 *
 * <p>Threads: {@link #replicate} runs on each shard's thread and may block there (event-bus reply,
 * register writes); the image and alive requests run on the event loop, the image itself on the shard
 * thread. The register writes are rare (a standby joining or falling behind).
 */
public final class LeaderReplication implements ReplicaSink {
    private static final Logger LOG = Logger.getLogger(LeaderReplication.class.getName());

    /** One attached standby of one shard. */
    private static final class Follower {
        final String node;
        final long attach;
        final String address;
        /** Last journal seq sent; written on the shard thread. */
        volatile long sent;
        /** Last journal seq the standby acknowledged; -1 before its first. */
        volatile long acked = -1;
        volatile boolean failed;

        Follower(String node, long attach, int shard, long imageSeq) {
            this.node = node;
            this.attach = attach;
            this.address = ReplicationWire.batchAddress(node, shard);
            this.sent = imageSeq;
        }
    }

    private final Vertx vertx;
    private final ShardedExchange exchange;
    private final LeadershipRegister register;
    private final long timeoutMillis;
    private final long catchUpTimeoutMillis;
    private final AtomicReferenceArray<Follower> followers;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private volatile LeaderRecord record;
    private volatile boolean deposed;

    /**
     * @param record         the register's record this process wrote when it took the lead
     * @param timeout        how long a batch waits for the in-sync standby before the leader drops it
     * @param catchUpTimeout how long a batch sent (without waiting) to a standby not in sync yet may go
     *                       unacknowledged before the leader drops it: the standby answers the batches
     *                       that arrive while it installs its images only once it runs them
     */
    public LeaderReplication(Vertx vertx, ShardedExchange exchange, LeadershipRegister register, LeaderRecord record,
                             Duration timeout, Duration catchUpTimeout) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.register = register;
        this.record = record;
        this.timeoutMillis = timeout.toMillis();
        this.catchUpTimeoutMillis = catchUpTimeout.toMillis();
        this.followers = new AtomicReferenceArray<>(exchange.shardCount());
    }

    /** Serves image and alive requests for every shard of this process. Event loop. */
    public Future<Void> listen() {
        List<Future<Void>> all = new ArrayList<>();
        for (int shard : exchange.ownedShards()) {
            int s = shard;
            MessageConsumer<JsonObject> image = vertx.eventBus().consumer(ReplicationWire.imageAddress(s),
                    m -> onImageRequest(s, m));
            MessageConsumer<JsonObject> alive = vertx.eventBus().consumer(ReplicationWire.aliveAddress(s),
                    m -> onAlive(s, m));
            consumers.add(image);
            consumers.add(alive);
            all.add(image.completion());
            all.add(alive.completion());
        }
        return Future.all(all).mapEmpty();
    }

    /** Stops answering standbys. */
    public Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        consumers.forEach(c -> all.add(c.unregister()));
        return Future.join(all).mapEmpty();
    }

    /** The register's record as this leader last wrote it. */
    public LeaderRecord record() {
        return record;
    }

    private void onImageRequest(int shard, Message<JsonObject> m) {
        String node;
        long attach;
        try {
            node = LeaderRecord.checkNode(m.body().getString("node"));
            attach = m.body().getLong("attach");
        } catch (RuntimeException e) {
            m.fail(400, "an image request needs a node id and an attach number");
            return;
        }
        if (deposed) {
            m.fail(503, "this exchange no longer leads");
            return;
        }
        long fence = record.fence();
        exchange.image(shard, imageSeq -> attach(shard, node, attach, imageSeq)).whenComplete((img, err) ->
                vertx.runOnContext(v -> {
                    if (err != null) {
                        m.fail(503, "no image of shard " + shard + ": " + err.getMessage());
                    } else {
                        m.reply(ReplicationWire.image(fence, img));
                        LOG.info("shard " + shard + ": standby " + node + " attached at journal seq " + img.journalSeq()
                                + " (" + img.engineState().length + " bytes of state)");
                    }
                }));
    }

    /** On the shard thread, right after the image: later batches go to this standby. */
    private void attach(int shard, String node, long attach, long imageSeq) {
        if (record.inSync() != null) {
            // the standby starts over from an image: it no longer has what the leader acknowledged
            dropStandby("standby " + node + " asked for a new image of shard " + shard);
        }
        followers.set(shard, new Follower(node, attach, shard, imageSeq));
    }

    private void onAlive(int shard, Message<JsonObject> m) {
        Follower f = followers.get(shard);
        String node = m.body() == null ? null : m.body().getString("node");
        Long attach = m.body() == null ? null : m.body().getLong("attach");
        boolean attached = !deposed && f != null && !f.failed && f.node.equals(node) && attach != null
                && f.attach == attach;
        JsonObject reply = new JsonObject().put("attached", attached).put("in_sync", attached && f.node.equals(record.inSync()));
        if (attached) {
            // The durable consumers' checkpoints ride along: a new leader keeps the history they still need.
            JsonObject checkpoints = new JsonObject();
            exchange.consumerCheckpoints().get(shard).forEach(checkpoints::put);
            reply.put("consumers", checkpoints);
        }
        m.reply(reply);
    }

    @Override
    public void replicate(int shard, long firstSeq, List<Command> commands) {
        if (deposed) {
            throw new FencedException("another exchange leads shard " + shard + " (fence above " + record.fence() + ")");
        }
        Follower f = followers.get(shard);
        if (f == null) {
            return;
        }
        long last = firstSeq + commands.size() - 1;
        Buffer batch = ReplicationWire.batch(record.fence(), f.attach, firstSeq, commands);
        synchronized (this) {
            // One decision at a time across the shard threads: a batch sent without waiting must be
            // acknowledged before the standby is named in sync (markInSync checks it under this lock), or a
            // takeover could miss a batch some shard already acknowledged to its callers.
            boolean inSync = f.node.equals(record.inSync());
            if (!inSync) {
                if (f.failed) {
                    followers.compareAndSet(shard, f, null);
                    return;
                }
                inSync = allCaughtUp(f.node) && markInSync(f.node);
            }
            f.sent = last;
            if (!inSync) {
                DeliveryOptions catchUp = new DeliveryOptions().setSendTimeout(catchUpTimeoutMillis);
                vertx.eventBus().request(f.address, batch, catchUp).onComplete(ar -> {
                    if (ar.succeeded()) {
                        f.acked = Math.max(f.acked, last);
                    } else {
                        f.failed = true;
                    }
                });
                return;
            }
        }
        try {
            // blocks the shard thread (never an event loop) until the in-sync standby has the batch
            vertx.eventBus().request(f.address, batch, new DeliveryOptions().setSendTimeout(timeoutMillis)).toCompletionStage().toCompletableFuture()
                    .get(timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
            f.acked = last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropStandby("interrupted while waiting for standby " + f.node);
        } catch (Exception e) {
            dropStandby("standby " + f.node + " did not acknowledge journal seqs " + firstSeq + ".." + last
                    + " of shard " + shard + " within " + timeoutMillis + " ms: " + e.getMessage());
        }
    }

    /** True when {@code node} is attached on every shard and acknowledged every batch sent to it. */
    private boolean allCaughtUp(String node) {
        for (int shard : exchange.ownedShards()) {
            Follower f = followers.get(shard);
            if (f == null || f.failed || !f.node.equals(node) || f.acked < 0 || f.acked != f.sent) {
                return false;
            }
        }
        return true;
    }

    /** Names {@code node} in sync in the register; false when the register could not be reached. */
    private synchronized boolean markInSync(String node) {
        if (node.equals(record.inSync())) {
            return true;
        }
        if (!allCaughtUp(node)) {
            return false;
        }
        LeaderRecord next = record.withInSync(node);
        boolean written;
        try {
            written = register.compareAndSet(record.text(), next.text());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot name standby " + node + " in sync (leadership register unreachable);"
                    + " running without it for now", e);
            return false;
        }
        if (!written) {
            depose();
        }
        record = next;
        LOG.info("standby " + node + " is in sync: every batch now waits for it (" + next.text() + ")");
        return true;
    }

    /**
     * Writes the in-sync standby out of the register, then forgets every standby. Throws
     * {@link FencedException} when the register holds another leader's record or cannot be reached:
     * running on without the standby then could lose acknowledged commands.
     */
    private synchronized void dropStandby(String reason) {
        LeaderRecord r = record;
        if (r.inSync() != null) {
            boolean written;
            try {
                written = register.compareAndSet(r.text(), r.withoutInSync().text());
            } catch (RuntimeException e) {
                deposed = true;
                throw new FencedException(reason + "; and the leadership register cannot be told ("
                        + e.getMessage() + "), so this exchange stops");
            }
            if (!written) {
                depose();
            }
            record = r.withoutInSync();
            LOG.warning(reason + "; running without a standby in sync until it attaches again");
        }
        for (int shard = 0; shard < followers.length(); shard++) {
            followers.set(shard, null);
        }
    }

    private void depose() {
        deposed = true;
        String now;
        try {
            now = register.read();
        } catch (RuntimeException e) {
            now = "unreadable: " + e.getMessage();
        }
        throw new FencedException("the leadership register no longer holds this leader's record " + record.text()
                + " (now " + now + "): another exchange leads");
    }
}
