package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * The standby exchange's side of failover: asks the leader for an image of each shard (which attaches
 * it), then applies the batches the leader sends, in order, each journaled here under the leader's
 * journal seq before it is acknowledged. Batches that arrive while the images are being installed wait
 * in a bounded queue. A periodic check asks the leader whether it still sends to this standby; when it
 * does not (it dropped the standby, or a batch was refused), {@link #needsNewImage} turns true.
 *
 * <p>Threads: the batch and check handlers run on the event loop of the context given; the blocking
 * steps ({@link #requestImages}) are for the caller's worker thread.
 */
public final class StandbyReplication {
    private static final Logger LOG = Logger.getLogger(StandbyReplication.class.getName());
    /** Commands held while installing; more means the install is too slow for the leader's rate. */
    private static final int MAX_QUEUED = 1 << 18;
    private static final long CHECK_EVERY_MILLIS = 1_000;

    private final Vertx vertx;
    private final Context context;
    private final String node;
    private final int[] shards;
    private final long imageTimeoutMillis;
    private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();
    // event-loop state
    private long attach;
    private long fence;
    private ShardedExchange exchange;
    /** Stopped taking batches (leads now, or stops): every batch fails. */
    private boolean stopped;
    /** A batch as it arrived, decoded once, and the message to answer. */
    private record Received(ReplicationWire.Batch batch, Message<Buffer> message) {
    }

    private final Map<Integer, Deque<Received>> queued = new TreeMap<>();
    private int queuedCommands;
    private long timer = -1;
    private volatile boolean needsNewImage;
    private volatile boolean leaderAnswers;

    public StandbyReplication(Vertx vertx, Context context, String node, int[] shards, Duration imageTimeout) {
        this.vertx = vertx;
        this.context = context;
        this.node = node;
        this.shards = shards.clone();
        this.imageTimeoutMillis = imageTimeout.toMillis();
    }

    /** Takes batches for every shard and checks the attachment every second. On the context's event loop. */
    public Future<Void> listen() {
        List<Future<Void>> all = new ArrayList<>();
        for (int shard : shards) {
            int s = shard;
            queued.put(s, new ArrayDeque<>());
            MessageConsumer<Buffer> c = vertx.eventBus().consumer(ReplicationWire.batchAddress(node, s),
                    m -> onBatch(s, m));
            consumers.add(c);
            all.add(c.completion());
        }
        timer = vertx.setPeriodic(CHECK_EVERY_MILLIS, id -> check());
        return Future.all(all).mapEmpty();
    }

    /** Stops taking batches: from now on the leader's batches fail. Completes once unregistered everywhere. */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopHere();
            List<Future<Void>> all = new ArrayList<>();
            consumers.forEach(c -> all.add(c.unregister()));
            Future.join(all).<Void>mapEmpty().onComplete(done);
        });
        return done.future();
    }

    /**
     * Stops taking batches: completes once every batch from now on fails here, without waiting for the
     * cluster to learn the consumers are gone (a Hazelcast write, slow while the cluster repartitions
     * after a member died: a takeover's case), which goes on after.
     */
    public Future<Void> stopTaking() {
        Promise<Void> refusing = Promise.promise();
        context.runOnContext(v -> {
            stopHere();
            refusing.complete();
            consumers.forEach(MessageConsumer::unregister);
        });
        return refusing.future();
    }

    private void stopHere() {
        vertx.cancelTimer(timer);
        stopped = true;
        exchange = null;
        queued.values().forEach(q -> q.forEach(r -> r.message().fail(409, "this node no longer stands by")));
        queued.values().forEach(Deque::clear);
        queuedCommands = 0;
    }

    /** True when the leader no longer sends to this standby: it has to start again from new images. */
    public boolean needsNewImage() {
        return needsNewImage;
    }

    /** True when the last check reached a leader. */
    public boolean leaderAnswers() {
        return leaderAnswers;
    }

    /**
     * Asks the leader for an image of every shard under a new attachment; batches for it queue until
     * {@link #following}. Blocks: call it on a worker thread. Fails when no leader answers, or when
     * the images come from different leaders.
     */
    public Map<Integer, SnapshotStore.Snapshot> requestImages() throws Exception {
        long next = System.nanoTime() ^ node.hashCode() ^ (long) (Math.random() * Long.MAX_VALUE);
        CompletableFuture<Void> reset = new CompletableFuture<>();
        context.runOnContext(v -> {
            exchange = null;
            attach = next;
            fence = 0;
            queued.values().forEach(Deque::clear);
            queuedCommands = 0;
            needsNewImage = false;
            reset.complete(null);
        });
        reset.get(); // the caller's worker thread (the failover thread), never an event loop
        Map<Integer, SnapshotStore.Snapshot> images = new TreeMap<>();
        long imageFence = -1;
        for (int shard : shards) {
            Buffer b = vertx.eventBus().<Buffer>request(ReplicationWire.imageAddress(shard),
                            new JsonObject().put("node", node).put("attach", next),
                            new DeliveryOptions().setSendTimeout(imageTimeoutMillis))
                    .toCompletionStage().toCompletableFuture().get().body();
            ReplicationWire.Image image = ReplicationWire.image(b);
            if (imageFence >= 0 && image.fence() != imageFence) {
                throw new IllegalStateException("images of shards came from two leaders (fences " + imageFence + " and "
                        + image.fence() + ")");
            }
            imageFence = image.fence();
            images.put(shard, image.snapshot());
        }
        long f = imageFence;
        CompletableFuture<Void> set = new CompletableFuture<>();
        context.runOnContext(v -> {
            fence = f;
            set.complete(null);
        });
        set.get();
        return images;
    }

    /** The installed standby exchange starts taking the batches (those queued first). Any thread. */
    public void following(ShardedExchange installed) {
        context.runOnContext(v -> {
            if (stopped) {
                return;
            }
            exchange = installed;
            for (int shard : shards) {
                Deque<Received> q = queued.get(shard);
                while (!q.isEmpty()) {
                    Received r = q.poll();
                    apply(shard, r.batch(), r.message());
                }
            }
            queuedCommands = 0;
        });
    }

    private void onBatch(int shard, Message<Buffer> m) {
        ReplicationWire.Batch batch;
        try {
            batch = ReplicationWire.batch(m.body());
        } catch (IllegalArgumentException e) {
            m.fail(400, "not a batch: " + e.getMessage());
            return;
        }
        if (stopped) {
            m.fail(409, "this node no longer stands by");
            return;
        }
        if (batch.attach() != attach || (fence != 0 && batch.fence() != fence)) {
            m.fail(409, "this standby is not attached under that number and fence");
            return;
        }
        if (exchange == null) {
            queuedCommands += batch.commands().size();
            if (queuedCommands > MAX_QUEUED) {
                needsNewImage = true;
                m.fail(503, "this standby is still installing and holds too many batches");
                return;
            }
            queued.get(shard).add(new Received(batch, m));
            return;
        }
        apply(shard, batch, m);
    }

    private void apply(int shard, ReplicationWire.Batch batch, Message<Buffer> m) {
        ShardedExchange x = exchange;
        List<CompletableFuture<CommandResult>> done = new ArrayList<>(batch.commands().size());
        for (int i = 0; i < batch.commands().size(); i++) {
            done.add(x.submitReplicated(shard, batch.firstSeq() + i, batch.commands().get(i)).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).whenComplete((v, err) -> {
            String refused = null;
            if (err != null) {
                refused = err.toString();
            } else {
                for (CompletableFuture<CommandResult> d : done) {
                    CommandResult r = d.join();
                    if (r.code() == ResultCode.ENGINE_UNAVAILABLE || r.code() == ResultCode.JOURNAL_FAILURE
                            || r.code() == ResultCode.ENGINE_OVERLOADED) {
                        refused = r.code().name();
                        break;
                    }
                }
            }
            String why = refused;
            context.runOnContext(x2 -> {
                if (why == null) {
                    m.reply(null);
                } else {
                    needsNewImage = true;
                    LOG.warning("shard " + shard + ": journal seqs " + batch.firstSeq() + ".. of the leader refused here ("
                            + why + "); starting again from a new image");
                    m.fail(409, "refused by the standby: " + why);
                }
            });
        });
    }

    private void check() {
        if (exchange == null || attach == 0) {
            return;
        }
        long a = attach;
        for (int shard : shards) {
            vertx.eventBus().<JsonObject>request(ReplicationWire.aliveAddress(shard),
                    new JsonObject().put("node", node).put("attach", a),
                    new DeliveryOptions().setSendTimeout(CHECK_EVERY_MILLIS)).onComplete(ar -> {
                if (ar.succeeded()) {
                    leaderAnswers = true;
                    JsonObject body = ar.result().body();
                    if (!body.getBoolean("attached", false) && a == attach) {
                        needsNewImage = true;
                    } else if (a == attach && exchange != null && body.getValue("consumers") instanceof JsonObject c) {
                        Map<String, Long> checkpoints = new TreeMap<>();
                        c.forEach(e -> {
                            if (e.getValue() instanceof Number n) {
                                checkpoints.put(e.getKey(), n.longValue());
                            }
                        });
                        exchange.mirrorConsumers(shard, checkpoints);
                    }
                } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
                    leaderAnswers = false; // no leader right now: keep this state, it may be the one to take over
                }
            });
        }
    }
}
