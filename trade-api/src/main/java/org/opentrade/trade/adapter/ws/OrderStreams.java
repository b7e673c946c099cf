package org.opentrade.trade.adapter.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.TraceIds;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.stream.AccountLog;
import org.opentrade.trade.domain.stream.Replay;
import org.opentrade.trade.port.StreamJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order stream ({@code GET /v1/stream/orders}, frames of docs/contracts.md): each connection gets its own
 * account's order updates and fills on the one channel {@code orders}, with the ledger's per-account
 * gap-free seq, kept as published.
 *
 * <p><b>Isolation.</b> A connection's account is its {@link StreamCaller}'s, set by the wiring from the
 * gateway's signed assertion; no client frame names an account, so a connection can only ever be written
 * the frames published for that account.
 *
 * <p><b>Threads.</b> Everything lives on one Vert.x context, the owner: the ledger's, so an account's seq,
 * its log, the open orders a snapshot reads and the subscriber sets change on one thread and need no locks.
 * The constructor adopts the caller's context ({@code vertx.getOrCreateContext()}), which must be an
 * event-loop context; {@link #publish} must be called on it, in the same task that applies the update to
 * the ledger. {@link #accept} may be called on any thread: a connection's frames are decoded and
 * rate-limited on its own event loop and only then handed to the owner.
 *
 * <p><b>Client frames.</b> {@code subscribe} with {@code orders} answers {@code {"type":"subscribed",
 * "channels":["orders"],"seqs":{"orders":head},"epoch"}}; then, without {@code resume}, a snapshot (a
 * {@code "type":"snapshot"} frame, then the open orders as {@code "type":"order","snapshot":true} frames, all
 * at the head seq); with {@code resume:{"orders":seq}} exactly the data frames after seq if the account's
 * log still has them all, else the snapshot flagged {@code "resumed":false}. Other channel names: one -1002
 * error frame listing them. {@code unsubscribe} answers {@code unsubscribed}; {@code ping} answers
 * {@code pong}; {@code auth} (the gateway authenticated the upgrade already) and anything malformed (not
 * JSON, wrong types, unknown op, too large, binary) answer -1001 and keep the connection. Error frames carry
 * the connection's trace id. Every heartbeat interval each connection gets {@code {"type":"heartbeat",
 * "seqs":{"orders":head},"time","epoch"}} ({@code seqs} empty when not subscribed).
 *
 * <p><b>Epoch.</b> Random per process and sent in {@code subscribed} and heartbeats (docs/contracts.md,
 * Streams). A resume that sends another epoch back gets the flagged snapshot, unless the stream's
 * {@link StreamJournal} (a stream made {@link #withJournal}) shows that epoch sent the account's frames up to
 * that seq: then it is resumed exactly like one of this process (see {@link StreamHistory}). Without an epoch
 * a resume is trusted when its seq is not newer than the head.
 *
 * <p><b>Flood rule.</b> At most {@code maxFramesPerSecond} client frames are handled per connection per
 * one-second window; the first one over is answered with -1001, the rest are ignored unparsed; the
 * {@code floodCloseFactor × maxFramesPerSecond}-th frame in one window closes the connection (1008).
 *
 * <p><b>Slow consumers.</b> Bytes waiting to be sent are counted per connection. A data frame that would pass
 * the high-water mark is skipped and the connection turns slow: one {@value #SLOW_CONSUMER_ERROR_NO} warning
 * frame, no data frames or heartbeats while slow, and a grace period. Drained below half the mark in time, it
 * catches up from the account's log exactly like a resume (or a flagged snapshot); not drained, it is closed
 * with 1008, and hard-closed one grace period later if its close frame cannot get out. Per connection, at most
 * the high-water mark plus {@link #CONTROL_SLACK_BYTES} is ever queued.
 *
 * <p><b>Cancel on disconnect.</b> A connection whose caller opted in counts for its account; when one closes
 * (client close, network loss, dropped as slow or flooding) and it was the account's last open opted-in
 * connection, the {@link #onDisconnect} handler gets the account on the owner context. Connections that did
 * not opt in never trigger it and do not hold it back. A server {@link #close} (shutdown) does not trigger it.
 */
public final class OrderStreams {
    /** The order stream's one channel. */
    public static final String CHANNEL = "orders";
    public static final String TYPE_ORDER = "order";
    public static final String TYPE_FILL = "fill";
    /** Room above the high-water mark for control frames (answers to the client, the slow warning). */
    public static final int CONTROL_SLACK_BYTES = 64 * 1024;
    /** The slow-consumer warning's error_no (trade-api's -41xx range; TradeError should list it). */
    public static final int SLOW_CONSUMER_ERROR_NO = -4120;
    static final short POLICY_VIOLATION = 1008;
    static final short GOING_AWAY = 1001;
    static final short INTERNAL_ERROR = 1011;
    private static final int MAX_ERROR_MESSAGE_CHARS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(OrderStreams.class);

    private final Vertx vertx;
    private final Context owner;
    private final OrderStreamOptions options;
    private final AccountSource source;
    private final LongSupplier clockMs;
    /** Per account; one without subscriber and with nothing retained is forgotten at a heartbeat. */
    private final Map<String, AccountLog<Buffer>> logs = new HashMap<>();
    private final Map<String, Set<StreamConnection>> subscribers = new HashMap<>();
    /** Open opted-in connections per account; an entry is removed at 0. */
    private final Map<String, Integer> cancelOnDisconnect = new HashMap<>();
    private final Set<StreamConnection> connections = new LinkedHashSet<>();
    /**
     * New subscriptions per account (GCRA: account → theoretical arrival time, monotonic ms): each reads and sends
     * every open order of the account, so {@link #SUBSCRIBE_BURST} may come at once, then one per {@link
     * #SUBSCRIBE_INTERVAL_MS}; a later one waits its turn (it is not refused: a client would stay unsubscribed). An
     * entry goes at a heartbeat once its budget is whole. Without it, subscribe and unsubscribe in a loop on a few
     * connections of an account with 500 open orders held the one trade context seconds behind for every account.
     */
    private final Map<String, Long> subscribeTat = new HashMap<>();
    static final int SUBSCRIBE_BURST = 20;
    static final long SUBSCRIBE_INTERVAL_MS = 1_000;
    private final Counters counters = new Counters();
    private final String epoch;
    private final StreamJournal journal;
    private final StreamHistory history;
    private volatile Consumer<String> cancelAllForAccount;
    private volatile Thread ownerThread;
    private long heartbeatTimer = -1;
    private boolean closed;

    /**
     * Call on the owner context (the ledger's); called elsewhere, the stream makes its own event-loop context,
     * returned by {@link #context()}, and publish must run there.
     */
    public OrderStreams(Vertx vertx, OrderStreamOptions options, AccountSource source) {
        this(vertx, options, source, System::currentTimeMillis);
    }

    /** @param clockMs wall clock (epoch ms) for retention, heartbeat times and the flood window; any thread */
    OrderStreams(Vertx vertx, OrderStreamOptions options, AccountSource source, LongSupplier clockMs) {
        this(vertx, options, source, clockMs, StreamJournal.NONE, StreamHistory.none(newEpoch()));
    }

    /**
     * An order stream that records what it sends in {@code journal} and takes over from the processes before it
     * (see {@link StreamHistory}): call on the owner context before the restored state is replayed, with what
     * {@link StreamJournal#load} returned, the restored snapshot's position (null when the ledger starts from
     * nothing) and each account's stream seq in that snapshot. Until {@link #endRecovery} the updates published
     * are the replay's: those sent before are not sent again, the others are numbered after what was sent.
     */
    public static OrderStreams withJournal(Vertx vertx, OrderStreamOptions options, AccountSource source,
                                           StreamJournal journal, StreamJournal.Recorded recorded,
                                           StreamJournal.Mark restored, Map<String, Long> snapshotSeqs) {
        return new OrderStreams(vertx, options, source, System::currentTimeMillis, journal,
                StreamHistory.of(newEpoch(), recorded, restored, snapshotSeqs));
    }

    OrderStreams(Vertx vertx, OrderStreamOptions options, AccountSource source, LongSupplier clockMs,
                 StreamJournal journal, StreamHistory history) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.options = Objects.requireNonNull(options, "options");
        this.source = Objects.requireNonNull(source, "source");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.history = Objects.requireNonNull(history, "history");
        this.epoch = history.epoch();
        long now = clockMs.getAsLong();
        if (!history.usable()) {
            journal.barrier(now); // what it holds cannot be matched with the restored state
        }
        journal.generation(epoch, now);
        for (StreamHistory.Seed seed : history.takeSeeds()) {
            logs.computeIfAbsent(seed.account(), a -> new AccountLog<>(options.retention(), seed.seq() - 1))
                    .append(seed.seq(), seed.wire(), seed.timeMs());
        }
        counters.accounts = logs.size();
        this.owner = vertx.getOrCreateContext();
        if (!owner.isEventLoopContext()) {
            throw new IllegalStateException("OrderStreams must live on an event-loop context, not a worker context");
        }
        if (Vertx.currentContext() == owner) {
            ownerThread = Thread.currentThread();
        }
        owner.runOnContext(v -> {
            ownerThread = Thread.currentThread();
            if (!closed) {
                heartbeatTimer = vertx.setPeriodic(options.heartbeatIntervalMs(), id -> heartbeat());
            }
        });
    }

    private static String newEpoch() {
        return TraceIds.random().substring(0, 16);
    }

    /** This process's epoch (sent in {@code subscribed} frames and heartbeats). */
    public String epoch() {
        return epoch;
    }

    /** The account's last seq sent (or kept for it). Owner context only. */
    public long head(String account) {
        checkOwner();
        return logFor(account).head();
    }

    /**
     * The restored state has caught up: from now on updates are new and numbered by the ledger. An order whose
     * last frame sent differs from its replayed state ({@code currentOrder}, null when the ledger does not hold it;
     * then the last state the replay made, for an order it dropped from its bounded history) is sent as it is now,
     * or as rejected when the replay never made it (once: not again at a later start that finds that
     * rejection its last frame). Returns every account's seq the stream holds,
     * for the ledger to follow on from. Owner context only.
     */
    public Map<String, Long> endRecovery(java.util.function.BiFunction<String, String, JsonObject> currentOrder) {
        checkOwner();
        if (history.recovering()) {
            for (StreamHistory.LastSent last : history.endRecovery()) {
                JsonObject now = currentOrder.apply(last.account(), last.orderId());
                if (now == null) {
                    now = last.replayed(); // made by the replay, then dropped from the ledger's bounded history
                }
                JsonObject tell = now == null ? StreamHistory.isLostOrder(last.data()) ? null : StreamHistory.lostOrder(last.data())
                        : now.encode().equals(last.data().encode()) ? null : now;
                if (tell != null) {
                    counters.ordersReconciled++;
                    publish(last.account(), logFor(last.account()).head() + 1, TYPE_ORDER, tell);
                }
            }
        }
        Map<String, Long> heads = new HashMap<>();
        logs.forEach((account, log) -> heads.put(account, log.head()));
        return heads;
    }

    /**
     * A ledger snapshot covering {@code intentIndex} and {@code feedPositions} was taken now, after every update
     * published so far: recorded in the journal; returns the token for {@link #snapshotDurable}. Owner context.
     */
    public long mark(long intentIndex, Map<Integer, Long> feedPositions) {
        checkOwner();
        return journal.mark(intentIndex, feedPositions);
    }

    /** The snapshot of {@link #mark}'s token is stored: the journal may drop what is older than resume needs. Any thread. */
    public void snapshotDurable(long token) {
        journal.snapshotDurable(token, clockMs.getAsLong() - options.retention().maxAgeMs());
    }

    /** Replayed updates not sent again since start (sent by an earlier process); any thread. */
    public long recoveredUnsent() {
        return counters.recoveredUnsent;
    }

    /** Orders re-sent (or ended as lost) at the end of recovery; any thread. */
    public long ordersReconciled() {
        return counters.ordersReconciled;
    }

    /** Records the journal could not keep (it stopped recording; the next start vouches for less). Any thread. */
    public long journalDropped() {
        return journal.dropped();
    }

    /** The owner context: {@link #publish} runs on it, and the cancel-on-disconnect handler is called on it. */
    public Context context() {
        return owner;
    }

    /**
     * Sets what cancels every open order of an account when its last opted-in connection closes; it is called
     * on the owner context and must not block; replaces an earlier handler. Any thread; in effect on return.
     */
    public void onDisconnect(Consumer<String> cancelAllForAccount) {
        this.cancelAllForAccount = Objects.requireNonNull(cancelAllForAccount, "cancelAllForAccount");
    }

    /**
     * Sends the account's update {@code seq} (the ledger's per-account update seq, kept as given) to the
     * account's subscribed connections and keeps it for resume, even with no subscriber. {@code data} is
     * encoded before this returns; the caller may reuse it. The ledger state {@link AccountSource} reads must
     * already include this update. Owner context only; never blocks.
     *
     * <p>Until {@link #endRecovery} (a stream made {@link #withJournal}), {@code seq} is not used: an update
     * the journal shows was sent is not sent again (-1), another gets the account's next seq.
     *
     * @param type {@link #TYPE_ORDER} ({@code data} an Order) or {@link #TYPE_FILL} ({@code data} a Fill)
     * @return the seq sent, or -1 when nothing was sent (not newer than the account's head, or sent before)
     */
    public long publish(String account, long seq, String type, JsonObject data) {
        checkOwner();
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(data, "data");
        if (!TYPE_ORDER.equals(type) && !TYPE_FILL.equals(type)) {
            throw new IllegalArgumentException("type must be order or fill, was " + type);
        }
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be positive, was " + seq);
        }
        AccountLog<Buffer> log = logs.get(account);
        if (history.recovering()) {
            boolean sentBefore = history.sentBefore(account, type, data);
            if (!sentBefore) {
                history.noteSent(account, type, data);
            }
            history.noteReplayed(account, type, data); // after noteSent: an order first seen in recovery counts too
            if (sentBefore) {
                counters.recoveredUnsent++;
                return -1;
            }
            log = logFor(account);
            seq = log.head() + 1;
        }
        if (log == null) {
            log = new AccountLog<>(options.retention(), seq - 1);
            logs.put(account, log);
            counters.accounts = logs.size();
        }
        long previousHead = log.head();
        Buffer frame = ServerFrames.data(seq, type, data);
        long now = clockMs.getAsLong();
        switch (log.append(seq, frame, now)) {
            case STALE -> {
                LOG.warn("order stream update {} of account {} is not after the head {}: not sent", seq, account,
                        previousHead);
                return -1;
            }
            case RESTARTED -> {
                counters.seqJumps++;
                LOG.warn("order stream of account {} jumped from seq {} to {}: subscribers get a snapshot", account,
                        previousHead, seq);
            }
            case APPENDED -> {
            }
        }
        journal.frame(account, seq, now, frame.getBytes());
        Set<StreamConnection> subs = subscribers.get(account);
        if (subs != null) {
            journal.flush(); // before it goes out: a client never holds a seq the next process cannot vouch for
            for (StreamConnection c : List.copyOf(subs)) {
                if (c.slow) {
                    maybeRecover(c); // a recovered connection catches up to this update too
                } else if (c.delivered != seq - 1 || c.foreign) {
                    catchUp(c);
                } else if (send(c, frame, false)) {
                    c.delivered = seq;
                    counters.messagesSent++;
                }
            }
        }
        return seq;
    }

    /**
     * Serves a connection the gateway has authenticated as {@code caller}. Any thread; never blocks. The
     * socket must not have a frame or close handler of someone else's; it is resumed if paused.
     */
    public void accept(ServerWebSocket ws, StreamCaller caller) {
        Objects.requireNonNull(caller, "caller");
        StreamConnection conn = new StreamConnection(ws, caller, options.writeQueueHighWaterBytes(), counters);
        InboundFrames inbound = new InboundFrames(options, clockMs);
        ws.setWriteQueueMaxSize(options.writeQueueHighWaterBytes());
        ws.frameHandler(frame -> {
            ClientRequest request = inbound.read(frame);
            if (request == null) {
                return;
            }
            if (request instanceof ClientRequest.Flooded f) {
                ws.close(POLICY_VIOLATION, new ErrorBody("too many frames: " + f.frames() + " in one second",
                        TradeError.MALFORMED.errorNo(), caller.traceId()).toCloseReason());
            }
            owner.runOnContext(v -> handleSafely(conn, request));
        });
        ws.closeHandler(v -> owner.runOnContext(x -> onClosed(conn)));
        ws.exceptionHandler(e -> LOG.debug("order stream connection of key {} failed: {}", caller.keyId(),
                e.toString()));
        ws.drainHandler(v -> owner.runOnContext(x -> maybeRecover(conn)));
        owner.runOnContext(v -> register(conn));
        ws.resume();
    }

    /** A moment's view of the counters; any thread. */
    public StreamStats stats() {
        return new StreamStats(counters.connections, counters.subscriptions, counters.accounts,
                counters.messagesSent, counters.slowConsumers, counters.slowConsumersDropped, counters.floodersClosed,
                counters.cancelsOnDisconnect, counters.queuedBytes.get(), counters.peakConnectionQueuedBytes.get(),
                counters.seqJumps);
    }

    /**
     * Stops heartbeats and closes every connection (1001) without cancel-on-disconnect (a shutdown is not the
     * client's disconnect); any thread. Later connections are refused.
     */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        owner.runOnContext(v -> {
            closed = true;
            if (heartbeatTimer >= 0) {
                vertx.cancelTimer(heartbeatTimer);
            }
            for (StreamConnection c : new ArrayList<>(connections)) {
                clearSlow(c);
                unregister(c);
                c.dropped = true;
                c.ws.close(GOING_AWAY, shuttingDown(c));
            }
            done.complete();
        });
        return done.future();
    }

    // ---- owner context from here on ----

    private void register(StreamConnection conn) {
        if (conn.closed || conn.ws.isClosed()) {
            return;
        }
        if (closed) {
            conn.ws.close(GOING_AWAY, shuttingDown(conn));
            return;
        }
        conn.registered = true;
        connections.add(conn);
        counters.connections = connections.size();
        if (conn.caller.cancelOnDisconnect()) {
            cancelOnDisconnect.merge(conn.account(), 1, Integer::sum);
        }
    }

    /** The edge for unexpected failures of a client request: logged once, answered -9000, connection kept. */
    private void handleSafely(StreamConnection conn, ClientRequest request) {
        try {
            handle(conn, request);
        } catch (RuntimeException e) {
            LOG.error("order stream request failed (trace {})", conn.caller.traceId(), e);
            error(conn, TradeError.INTERNAL.errorNo(), TradeError.INTERNAL.summary(), null);
        }
    }

    private void handle(StreamConnection conn, ClientRequest request) {
        if (request instanceof ClientRequest.Flooded) {
            boolean counted = conn.registered;
            clearSlow(conn);
            unregister(conn);
            conn.dropped = true;
            if (counted) { // after unregister: whoever sees the count sees the connection gone
                counters.floodersClosed++;
                LOG.info("closed a flooding order stream connection of key {} (trace {})", conn.caller.keyId(),
                        conn.caller.traceId());
            }
            return;
        }
        if (!conn.registered) {
            return;
        }
        if (request instanceof ClientRequest.Subscribe s) {
            subscribe(conn, s);
        } else if (request instanceof ClientRequest.Unsubscribe u) {
            unsubscribe(conn, u.channels());
        } else if (request instanceof ClientRequest.Ping) {
            send(conn, ServerFrames.pong(), true);
        } else if (request instanceof ClientRequest.Auth) {
            error(conn, TradeError.MALFORMED.errorNo(), "already authenticated: this connection's credential was "
                    + "checked when it opened (at the upgrade, or by its first auth frame); no other auth frame is needed",
                    null);
        } else if (request instanceof ClientRequest.Invalid i) {
            error(conn, TradeError.MALFORMED.errorNo(), i.message(), null);
        } else if (request instanceof ClientRequest.TooManyFrames t) {
            error(conn, TradeError.MALFORMED.errorNo(), "too many frames: at most " + t.perSecond() + " per second "
                    + "are handled, the rest of this second is ignored; " + t.closeAt() + " in one second close "
                    + "the connection", null);
        }
    }

    private void subscribe(StreamConnection conn, ClientRequest.Subscribe request) {
        List<String> unknown = new ArrayList<>();
        for (String channel : request.channels()) {
            if (!CHANNEL.equals(channel)) {
                unknown.add(ClientFrameDecoder.shorten(channel));
            }
        }
        if (!unknown.isEmpty()) {
            error(conn, TradeError.INVALID_PARAMETER.errorNo(), "unknown channel" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ": the order stream has one channel, orders", unknown);
        }
        if (!request.channels().contains(CHANNEL)) {
            return;
        }
        if (conn.subscribed) {
            send(conn, ServerFrames.subscribed(logFor(conn.account()).head(), epoch), true);
            return;
        }
        if (conn.pendingSubscribe >= 0) {
            return; // already waiting for its turn: answered then
        }
        long wait = takeSubscribeTurn(conn.account());
        if (wait > 0) {
            conn.pendingSubscribe = vertx.setTimer(wait, id -> {
                conn.pendingSubscribe = -1;
                if (conn.registered && !conn.subscribed && !closed) {
                    startSubscription(conn, request);
                }
            });
            return;
        }
        startSubscription(conn, request);
    }

    /** Reserves the account's next subscription: 0 when it may start now, else the ms until its turn. */
    private long takeSubscribeTurn(String account) {
        long now = System.nanoTime() / 1_000_000;
        long tat = Math.max(subscribeTat.getOrDefault(account, now), now);
        subscribeTat.put(account, tat + SUBSCRIBE_INTERVAL_MS);
        return Math.max(0, tat - now - (SUBSCRIBE_BURST - 1) * SUBSCRIBE_INTERVAL_MS);
    }

    private void startSubscription(StreamConnection conn, ClientRequest.Subscribe request) {
        AccountLog<Buffer> log = logFor(conn.account());
        conn.subscribed = true;
        conn.delivered = request.resume();
        conn.foreign = request.resume() >= 0 && request.epoch() != null && !request.epoch().equals(epoch)
                && !history.vouchesFor(request.epoch(), conn.account(), request.resume());
        subscribers.computeIfAbsent(conn.account(), a -> new LinkedHashSet<>()).add(conn);
        counters.subscriptions++;
        send(conn, ServerFrames.subscribed(log.head(), epoch), true);
        catchUp(conn);
    }

    private void unsubscribe(StreamConnection conn, List<String> channels) {
        if (channels.contains(CHANNEL)) {
            cancelPendingSubscribe(conn);
            forget(conn);
        }
        List<String> names = new ArrayList<>(channels.size());
        for (String channel : channels) {
            names.add(ClientFrameDecoder.shorten(channel));
        }
        send(conn, ServerFrames.unsubscribed(names), true);
    }

    private AccountLog<Buffer> logFor(String account) {
        AccountLog<Buffer> log = logs.get(account);
        if (log == null) {
            // While recovering the ledger's seq is the replay's; the history knows what was sent.
            log = new AccountLog<>(options.retention(), Math.max(0, history.recovering() ? history.knownHead(account)
                    : source.headSeq(account)));
            logs.put(account, log);
            counters.accounts = logs.size();
        }
        return log;
    }

    /**
     * Brings a subscribed client up to its account's head: the updates after what it has if the log still
     * holds them all, else a snapshot of the open orders (flagged as a gap when it had state). False when the
     * connection turned slow (or was dropped) midway.
     */
    private boolean catchUp(StreamConnection conn) {
        journal.flush(); // what it may send (frames, or a snapshot at the head seq) is recorded first
        AccountLog<Buffer> log = logFor(conn.account());
        long head = log.head();
        if (conn.delivered == head && !conn.foreign) {
            return true;
        }
        if (conn.delivered >= 0 && !conn.foreign) {
            Replay<Buffer> replay = log.since(conn.delivered, clockMs.getAsLong());
            if (replay.inWindow()) {
                for (Buffer frame : replay.messages()) {
                    if (!send(conn, frame, false)) {
                        return false;
                    }
                    conn.delivered++;
                    counters.messagesSent++;
                }
                return true;
            }
        }
        boolean gap = conn.delivered >= 0;
        List<JsonObject> open;
        try {
            open = source.openOrders(conn.account());
        } catch (RuntimeException e) {
            // Never let the source's failure reach the publisher; the client reconnects and resumes.
            LOG.error("open orders of account {} could not be read for a snapshot (trace {})", conn.account(),
                    conn.caller.traceId(), e);
            clearSlow(conn);
            unregister(conn);
            conn.dropped = true;
            conn.ws.close(INTERNAL_ERROR, new ErrorBody("snapshot unavailable; reconnect and resume",
                    TradeError.INTERNAL.errorNo(), conn.caller.traceId()).toCloseReason());
            return false;
        }
        if (!send(conn, ServerFrames.snapshotStart(head, open.size(), gap), false)) {
            return false;
        }
        counters.messagesSent++;
        for (JsonObject order : open) {
            if (!send(conn, ServerFrames.snapshotOrder(head, order), false)) {
                return false; // a later catch-up starts the snapshot again
            }
            counters.messagesSent++;
        }
        conn.delivered = head;
        conn.foreign = false;
        return true;
    }

    private void heartbeat() {
        long monotonic = System.nanoTime() / 1_000_000;
        subscribeTat.values().removeIf(tat -> tat <= monotonic);
        long now = clockMs.getAsLong();
        for (StreamConnection c : connections) {
            if (c.slow) {
                continue;
            }
            long head = c.subscribed ? logFor(c.account()).head() : -1;
            send(c, ServerFrames.heartbeat(head, now, epoch), false);
        }
        Iterator<Map.Entry<String, AccountLog<Buffer>>> it = logs.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, AccountLog<Buffer>> e = it.next();
            if (!subscribers.containsKey(e.getKey()) && e.getValue().retained(now) == 0 && !history.recovering()) {
                it.remove();
            }
        }
        counters.accounts = logs.size();
    }

    private void error(StreamConnection conn, int errorNo, String message, List<String> channels) {
        String text = message.length() <= MAX_ERROR_MESSAGE_CHARS ? message
                : message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "…";
        send(conn, ServerFrames.error(text, errorNo, conn.caller.traceId(), channels), true);
    }

    /** Writes through the connection's bound; a refusal turns it slow. */
    private boolean send(StreamConnection conn, Buffer frame, boolean control) {
        if (conn.closed || conn.dropped) {
            return false;
        }
        if (conn.tryWrite(frame, control)) {
            return true;
        }
        if (!conn.slow) {
            conn.slow = true;
            counters.slowConsumers++;
            onSlow(conn);
        }
        return false;
    }

    private void onSlow(StreamConnection conn) {
        if (!conn.warned) {
            conn.warned = true;
            error(conn, SLOW_CONSUMER_ERROR_NO, "slow consumer: more than " + options.writeQueueHighWaterBytes()
                    + " bytes are waiting to be sent, so updates are being skipped; the connection will be "
                    + "disconnected if it has not drained within " + options.slowConsumerGraceMs()
                    + " ms (then reconnect and resume with your last seq)", null);
        }
        conn.graceTimer = vertx.setTimer(options.slowConsumerGraceMs(), id -> {
            conn.graceTimer = -1;
            if (conn.slow && !conn.dropped && !conn.closed) {
                if (conn.queuedBytes() <= options.writeQueueHighWaterBytes() / 2) {
                    maybeRecover(conn);
                } else {
                    drop(conn);
                }
            }
        });
    }

    private void maybeRecover(StreamConnection conn) {
        if (!conn.slow || conn.dropped || conn.closed
                || conn.queuedBytes() > options.writeQueueHighWaterBytes() / 2) {
            return;
        }
        clearSlow(conn);
        if (conn.subscribed) {
            catchUp(conn);
        }
    }

    private void drop(StreamConnection conn) {
        LOG.info("dropping slow order stream consumer of key {} (trace {}): {} bytes still queued after {} ms",
                conn.caller.keyId(), conn.caller.traceId(), conn.queuedBytes(), options.slowConsumerGraceMs());
        clearSlow(conn);
        unregister(conn);
        conn.dropped = true;
        counters.slowConsumersDropped++; // after unregister: whoever sees the count sees the connection gone
        conn.ws.close(POLICY_VIOLATION, new ErrorBody("slow consumer: not drained within " + options.slowConsumerGraceMs()
                + " ms", TradeError.SLOW_CONSUMER.errorNo(), conn.caller.traceId()).toCloseReason());
        vertx.setTimer(options.slowConsumerGraceMs(), id -> {
            if (!conn.closed) {
                VertxInternals.hardClose(conn.ws);
            }
        });
    }

    private void onClosed(StreamConnection conn) {
        conn.closed = true;
        clearSlow(conn);
        unregister(conn);
    }

    private void clearSlow(StreamConnection conn) {
        if (conn.slow) {
            conn.slow = false;
            counters.slowConsumers--;
        }
        if (conn.graceTimer >= 0) {
            vertx.cancelTimer(conn.graceTimer);
            conn.graceTimer = -1;
        }
    }

    private void cancelPendingSubscribe(StreamConnection conn) {
        if (conn.pendingSubscribe >= 0) {
            vertx.cancelTimer(conn.pendingSubscribe);
            conn.pendingSubscribe = -1;
        }
    }

    /** Takes the connection out of everything; the one place cancel-on-disconnect is decided. */
    private void unregister(StreamConnection conn) {
        if (!conn.registered) {
            return;
        }
        conn.registered = false;
        cancelPendingSubscribe(conn);
        forget(conn);
        connections.remove(conn);
        counters.connections = connections.size();
        if (conn.caller.cancelOnDisconnect()) {
            String account = conn.account();
            Integer left = cancelOnDisconnect.computeIfPresent(account, (a, n) -> n > 1 ? n - 1 : null);
            if (left == null && !closed) {
                cancelOnDisconnect(account, conn.caller.traceId());
            }
        }
    }

    private void cancelOnDisconnect(String account, String traceId) {
        Consumer<String> handler = cancelAllForAccount;
        if (handler == null) {
            LOG.warn("cancel-on-disconnect for account {} (trace {}) but no handler is set: nothing cancelled",
                    account, traceId);
            return;
        }
        counters.cancelsOnDisconnect++;
        LOG.info("last cancel-on-disconnect connection of account {} closed (trace {}): cancelling its open orders",
                account, traceId);
        try {
            handler.accept(account);
        } catch (RuntimeException e) {
            LOG.error("cancel-on-disconnect of account {} failed (trace {})", account, traceId, e);
        }
    }

    /** Ends the connection's subscription, if any. */
    private void forget(StreamConnection conn) {
        if (!conn.subscribed) {
            return;
        }
        conn.subscribed = false;
        conn.delivered = -1;
        conn.foreign = false;
        Set<StreamConnection> subs = subscribers.get(conn.account());
        if (subs != null && subs.remove(conn) && subs.isEmpty()) {
            subscribers.remove(conn.account());
        }
        counters.subscriptions--;
    }

    private void checkOwner() {
        if (Thread.currentThread() != ownerThread) {
            throw new IllegalStateException("OrderStreams.publish must be called on its owner context, not on "
                    + Thread.currentThread().getName());
        }
    }

    /** Written on the owner (or, for the byte counts, on write completions); read by {@link #stats()} anywhere. */
    static final class Counters {
        volatile long connections;
        volatile long subscriptions;
        volatile long accounts;
        volatile long messagesSent;
        volatile long slowConsumers;
        volatile long slowConsumersDropped;
        volatile long floodersClosed;
        volatile long cancelsOnDisconnect;
        volatile long seqJumps;
        /** Replayed updates not sent again after a restart: the journal shows they were. */
        volatile long recoveredUnsent;
        /** Orders sent at the end of recovery because their last frame sent was not their replayed state. */
        volatile long ordersReconciled;
        final AtomicLong queuedBytes = new AtomicLong();
        final AtomicLong peakConnectionQueuedBytes = new AtomicLong();
    }

    /**
     * The close reason of a stream the server ends as it stops: the error model (-9001), short enough for a close
     * frame; the client reconnects (through the gateway, to another instance) and resumes.
     */
    static String shuttingDown(StreamConnection conn) {
        return new ErrorBody("trade-api is shutting down; reconnect", -9001, conn.caller.traceId()).toCloseReason();
    }

}
