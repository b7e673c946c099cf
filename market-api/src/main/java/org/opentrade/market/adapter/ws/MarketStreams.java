package org.opentrade.market.adapter.ws;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.TraceIds;
import org.opentrade.market.domain.MarketError;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.market.domain.stream.ChannelLog;
import org.opentrade.market.domain.stream.ChannelLogs;
import org.opentrade.market.domain.stream.ChannelSource;
import org.opentrade.market.domain.stream.Replay;
import org.opentrade.market.domain.stream.StreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market WebSocket stream server ({@code GET /v1/stream/market}, frames of docs/contracts.md): owns every
 * connection and every channel's log; fans each published message out to the channel's subscribers.
 *
 * <p><b>Threads.</b> Everything lives on one Vert.x context, the owner: the one that also applies the
 * exchange feed, so a channel's seq, its log, the state a snapshot reads and the subscriber sets change
 * on one thread and need no locks. The constructor adopts the caller's context ({@code
 * vertx.getOrCreateContext()}), which must be an event-loop context; {@link #publish} must be called on
 * it. {@link #accept} may be called on any thread (typically the HTTP server's event loop): a
 * connection's frames are decoded and rate-limited on its own event loop and only then handed to the
 * owner. Writes go from the owner to any event loop (Vert.x queues them in order).
 *
 * <p><b>Payloads.</b> Vert.x {@link JsonObject}: {@code publish} encodes the data frame once to a
 * {@link Buffer}, the channel log keeps that buffer for resume, and every subscriber's frame is a view
 * of it (no copy, no re-encoding per subscriber; see {@link VertxInternals}).
 *
 * <p><b>Client frames.</b> {@code subscribe} answers {@code {"type":"subscribed","channels":[…],
 * "seqs":{ch:head}}}; then per new channel a snapshot data frame {@code {"channel","seq":head,
 * "snapshot":true,"data"}} when {@link ChannelSource#snapshot} is non-null; with {@code resume:{ch:seq}}
 * instead exactly the data frames after seq if the log still has them all, else the snapshot flagged
 * {@code "resumed":false} (with {@code "data":null} for channels without state, e.g. trades). A channel
 * already subscribed is listed again, nothing re-sent. Invalid channels: one -6011 error frame listing
 * them; channels over a limit (per connection from the options, per API key across its connections from
 * the plan): one -6012 error frame naming the limit, those channels not subscribed. {@code unsubscribe}
 * answers {@code {"type":"unsubscribed","channels":[…]}}; {@code ping} answers {@code {"type":"pong"}};
 * {@code auth} (the gateway authenticated the upgrade already) and anything malformed (not JSON, wrong
 * types, unknown op, too large, binary) answer -6010 and keep the connection. Error frames carry the
 * connection's trace id. Every heartbeat interval each connection gets {@code {"type":"heartbeat",
 * "seqs":{ch:head},"time":"<RFC 3339 ms>","epoch"}}.
 *
 * <p><b>Epoch.</b> Seqs are this process's: another market-api instance, or this one after a restart,
 * numbers the same channel differently. {@code subscribed} and heartbeat frames therefore carry
 * {@code "epoch"} (random per process; docs/contracts.md, Streams); a subscribe that sends it back
 * with its {@code resume} gets replays only when it matches, else the flagged snapshot. Without it a
 * resume is trusted when its seq is not newer than the head.
 *
 * <p><b>Flood rule.</b> At most {@code maxFramesPerSecond} client frames are handled per connection per
 * one-second window; the first one over is answered with -6010, the rest are ignored unparsed; the
 * {@code floodCloseFactor × maxFramesPerSecond}-th frame in one window closes the connection (1008).
 *
 * <p><b>Slow consumers.</b> Bytes waiting to be sent are counted per connection. A data frame that would
 * pass the high-water mark is skipped and the connection turns slow: it gets one -6013 warning frame (when
 * the slack allows), no data frames or heartbeats while slow, and a grace period. Drained below half the
 * mark (seen at its next message, a drain event or the end of the grace), it catches up from the channel
 * logs exactly like a resume (missed frames, or a flagged snapshot when they are gone) and goes on. Not
 * drained at the end of the grace: it is dropped, closed with 1008 and a reason, and if the socket is
 * still open one grace period later (its client does not read, so the close frame cannot get out) the TCP
 * connection is closed hard, discarding what was queued. Per connection, at most the high-water mark
 * plus {@link #CONTROL_SLACK_BYTES} is ever queued.
 */
public final class MarketStreams {
    /** Room above the high-water mark for control frames (answers to the client, the slow warning). */
    public static final int CONTROL_SLACK_BYTES = 64 * 1024;
    static final short POLICY_VIOLATION = 1008;
    static final short GOING_AWAY = 1001;
    private static final int MAX_ERROR_MESSAGE_CHARS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(MarketStreams.class);

    private final Vertx vertx;
    private final Context owner;
    private final StreamOptions options;
    private final ChannelSource<JsonObject> source;
    private final LongSupplier clockMs;
    private final LongSupplier monotonicMs;
    private final ChannelLogs<Buffer> logs;
    private final Map<String, Set<Subscription>> subscribers = new HashMap<>();
    private final Set<StreamConnection> connections = new LinkedHashSet<>();
    /** Subscriptions per API key on this instance; an entry is removed at 0, so it is bounded by live connections. */
    private final Map<String, Integer> keySubscriptions = new HashMap<>();
    /**
     * New subscriptions per API key: each sends a snapshot (a depth one is a REST call of weight 5), and the
     * stream's opening is the only thing the gateway's rate limit charges. A key may subscribe twice its plan's
     * maximum at once (everything, and everything again after a reconnect), then its maximum every {@link
     * #SUBSCRIBE_REFILL_MS} (GCRA: key → theoretical arrival time, ms). Without it, subscribing and unsubscribing in a loop fetched ~180 times the depth
     * snapshots the plan allows over REST. An entry goes once its budget is whole again (swept each heartbeat),
     * not when the key's connections close: reconnecting must not refill it.
     */
    private final Map<String, Long> subscribeBudget = new HashMap<>();
    static final long SUBSCRIBE_REFILL_MS = 10_000;
    private final Counters counters = new Counters();
    /** Writes each published data frame; owner context only. */
    private final JsonBytes frames = new JsonBytes(512);
    private final String epoch = TraceIds.random().substring(0, 16);
    private volatile Thread ownerThread;
    private long heartbeatTimer = -1;
    private boolean closed;

    /**
     * Call on the owner context (the one applying the exchange feed); called elsewhere, the server makes
     * its own event-loop context, returned by {@link #context()}, and publish must run there.
     */
    public MarketStreams(Vertx vertx, StreamOptions options, ChannelSource<JsonObject> source) {
        this(vertx, options, source, System::currentTimeMillis, () -> System.nanoTime() / 1_000_000);
    }

    /** Tests: one clock for both. */
    MarketStreams(Vertx vertx, StreamOptions options, ChannelSource<JsonObject> source, LongSupplier clockMs) {
        this(vertx, options, source, clockMs, clockMs);
    }

    /**
     * @param clockMs     wall clock (epoch ms) for retention, heartbeat times and the flood window; any thread
     * @param monotonicMs a clock that never steps (ms, any origin) for the subscribe budget, which a wall clock
     *                    set back would keep spent for as long as it stepped
     */
    MarketStreams(Vertx vertx, StreamOptions options, ChannelSource<JsonObject> source, LongSupplier clockMs,
                  LongSupplier monotonicMs) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.options = Objects.requireNonNull(options, "options");
        this.source = Objects.requireNonNull(source, "source");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.monotonicMs = Objects.requireNonNull(monotonicMs, "monotonicMs");
        this.logs = new ChannelLogs<>(source, options.retention(),
                (channel, seq, data) -> ServerFrames.data(frames, channel, seq, data));
        this.owner = vertx.getOrCreateContext();
        if (!owner.isEventLoopContext()) {
            throw new IllegalStateException("MarketStreams must live on an event-loop context, not a worker context");
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

    /** The owner context: {@link #publish} runs on it. */
    public Context context() {
        return owner;
    }

    /**
     * Gives {@code data} the channel's next seq, keeps the encoded frame in the channel's log (for resume,
     * even with no subscriber) and writes it to every subscriber. {@code data} is encoded before this
     * returns; the caller may reuse it. The state {@link ChannelSource#snapshot} reads must already include
     * this message. Owner context only; never blocks.
     *
     * @return the message's seq, or -1 when the source does not accept the channel (nothing is kept)
     */
    public long publish(String channel, JsonObject data) {
        Objects.requireNonNull(data, "data");
        return publishFrame(channel, -1, seq -> ServerFrames.data(frames, channel, seq, data));
    }

    /**
     * As {@link #publish(String, JsonObject)}, with the message's data written straight into the frame by
     * {@code data} (no JsonObject built and walked): for the channels that carry every trade.
     */
    public long publish(String channel, Consumer<JsonBytes> data) {
        Objects.requireNonNull(data, "data");
        return publishFrame(channel, -1, seq -> ServerFrames.data(frames, channel, seq, data));
    }

    /**
     * As {@link #publish(String, Consumer)}, for a channel the source numbers ({@link ChannelSource#origin}):
     * {@code seq} is the message's own number. A number the log has passed, or none ({@code seq <= 0}: a
     * message from before the channel's origin, whose number is not known), is not published (-1); one
     * beyond the next skips the log ahead ({@link ChannelLog#skipTo}), so subscribers get a flagged snapshot
     * for the messages this process never saw. On a channel this process numbers, {@code seq} is ignored.
     */
    public long publish(String channel, long seq, Consumer<JsonBytes> data) {
        Objects.requireNonNull(data, "data");
        return publishFrame(channel, seq, n -> ServerFrames.data(frames, channel, n, data));
    }

    /**
     * A stable channel's source numbers its messages again from below ({@code head}: the number of the
     * last message of the new numbering, the next is {@code head + 1}): its log starts over there and every
     * subscriber gets the flagged snapshot at once, since its seq belongs to the old numbering. A client
     * resuming later with an old seq gets it too. No-op for a channel without a log or one this process
     * numbers. Owner context only.
     */
    public void renumber(String channel, long head) {
        checkOwner();
        ChannelLog<Buffer> log = logs.find(channel);
        if (log == null || !log.stable()) {
            return;
        }
        LOG.warn("channel {} is numbered again from {} (was at {}): its subscribers get a flagged snapshot",
                channel, head, log.head());
        log.restartAt(head);
        Set<Subscription> subs = subscribers.get(channel);
        if (subs != null) {
            for (Subscription s : subs) {
                s.foreign = true; // its seq means nothing in the new numbering
                if (!s.connection.slow) {
                    catchUp(s);
                }
            }
        }
    }

    private long publishFrame(String channel, long wanted, LongFunction<Buffer> frameOf) {
        checkOwner();
        ChannelLog<Buffer> log = logs.find(channel);
        if (log == null) {
            ChannelLogs.Opened<Buffer> opened = logs.open(channel);
            if (!opened.ok()) {
                LOG.warn("publish to a channel the source refuses, dropped: {}", opened.error());
                return -1;
            }
            log = opened.log();
            counters.channels = logs.size();
        }
        if (log.stable()) {
            if (wanted <= log.head()) {
                return -1;
            }
            if (wanted > log.head() + 1) {
                LOG.warn("channel {} skips from {} to {}: messages this process never saw (its subscribers get a "
                        + "flagged snapshot)", channel, log.head(), wanted);
                log.skipTo(wanted - 1);
            }
        }
        long seq = log.head() + 1;
        Buffer frame = frameOf.apply(seq);
        log.append(frame, clockMs.getAsLong());
        Set<Subscription> subs = subscribers.get(channel);
        if (subs != null) {
            // Encoded for the wire once; every connection writes a duplicate of it (see VertxInternals).
            ByteBuf wire = VertxInternals.wireFrame(frame);
            try {
                for (Subscription s : subs) {
                    StreamConnection c = s.connection;
                    if (c.slow) {
                        maybeRecover(c); // a recovered connection catches up to this message too
                    } else if (s.foreign || s.delivered != seq - 1) {
                        catchUp(s);
                    } else if (send(c, frame, wire, false)) {
                        s.delivered = seq;
                        counters.messagesSent++;
                    }
                }
            } finally {
                wire.release();
            }
        }
        return seq;
    }

    /**
     * Whether {@code channel} has a log, i.e. was subscribed to (or published to) since this process
     * started. A channel nobody ever subscribed to needs no messages: no client can resume it (a seq from
     * another process is answered with a snapshot), so a publisher may skip building them. Owner context.
     */
    public boolean active(String channel) {
        return logs.find(channel) != null;
    }

    /**
     * Serves a connection the gateway has authenticated as {@code caller}. Any thread; never blocks. The
     * socket must not have a frame or close handler of someone else's; it is resumed if paused.
     */
    public void accept(ServerWebSocket ws, StreamCaller caller) {
        StreamConnection conn = new StreamConnection(ws, caller, options.writeQueueHighWaterBytes(), counters);
        conn.onDrained(() -> owner.runOnContext(v -> maybeRecover(conn)));
        InboundFrames inbound = new InboundFrames(options, clockMs);
        ws.setWriteQueueMaxSize(options.writeQueueHighWaterBytes());
        ws.frameHandler(frame -> {
            ClientRequest request = inbound.read(frame);
            if (request == null) {
                return;
            }
            if (request instanceof ClientRequest.Flooded f) {
                ws.close(POLICY_VIOLATION, new ErrorBody("too many frames: " + f.frames() + " in one second",
                        MarketError.BAD_FRAME.errorNo(), caller.traceId()).toCloseReason());
            }
            owner.runOnContext(v -> handle(conn, request));
        });
        ws.closeHandler(v -> owner.runOnContext(x -> onClosed(conn)));
        ws.exceptionHandler(e -> LOG.debug("stream connection of key {} failed: {}", caller.keyId(), e.toString()));
        ws.drainHandler(v -> owner.runOnContext(x -> maybeRecover(conn)));
        owner.runOnContext(v -> register(conn));
        ws.resume();
    }

    /** A moment's view of the counters; any thread. */
    public StreamStats stats() {
        return new StreamStats(counters.connections, counters.subscriptions, counters.channels,
                counters.messagesSent, counters.slowConsumers, counters.slowConsumersDropped, counters.floodersClosed,
                counters.queuedBytes.get(), counters.peakConnectionQueuedBytes.get(), counters.wireWrites);
    }

    /** Stops heartbeats and closes every connection (1001); any thread. Later connections are refused. */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        owner.runOnContext(v -> {
            closed = true;
            if (heartbeatTimer >= 0) {
                vertx.cancelTimer(heartbeatTimer);
            }
            for (StreamConnection c : new ArrayList<>(connections)) {
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
    }

    private void handle(StreamConnection conn, ClientRequest request) {
        if (request instanceof ClientRequest.Flooded) {
            boolean counted = conn.registered;
            clearSlow(conn);
            unregister(conn);
            conn.dropped = true;
            hardCloseLater(conn); // a flooder that does not read never lets the close frame out
            if (counted) { // after unregister: whoever sees the count sees the connection gone
                counters.floodersClosed++;
                LOG.info("closed a flooding stream connection of key {} (trace {})", conn.caller.keyId(),
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
            error(conn, MarketError.BAD_FRAME, "already authenticated: this connection's credential was checked "
                    + "when it opened (at the upgrade, or by its first auth frame); no other auth frame is needed", null);
        } else if (request instanceof ClientRequest.Invalid i) {
            error(conn, MarketError.BAD_FRAME, i.message(), null);
        } else if (request instanceof ClientRequest.TooManyFrames t) {
            error(conn, MarketError.BAD_FRAME, "too many frames: at most " + t.perSecond() + " per second are "
                    + "handled, the rest of this second is ignored; " + t.closeAt() + " in one second close the "
                    + "connection", null);
        }
    }

    private void subscribe(StreamConnection conn, ClientRequest.Subscribe request) {
        List<String> accepted = new ArrayList<>();
        Map<String, Long> seqs = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> overConnectionLimit = new ArrayList<>();
        List<String> overKeyLimit = new ArrayList<>();
        List<String> overRate = new ArrayList<>();
        List<Subscription> added = new ArrayList<>();
        String keyId = conn.caller.keyId();
        for (String channel : request.channels()) {
            Subscription existing = conn.subscriptions.get(channel);
            if (existing != null) {
                accepted.add(channel);
                seqs.put(channel, existing.log.head());
                continue;
            }
            // Checked without opening: a channel gets its log only with a subscription, since from then on every
            // message of it is built and kept for the life of the process. A refused one (no streams in the plan,
            // over a limit or the budget) opened it anyway, so any key could make every channel cost that.
            String refusal = logs.refusal(channel);
            if (refusal != null) {
                invalid.add(StreamChannel.shorten(channel));
                reasons.add(refusal);
                continue;
            }
            if (conn.subscriptions.size() >= options.maxSubscriptionsPerConnection()) {
                overConnectionLimit.add(channel);
                continue;
            }
            if (keySubscriptions.getOrDefault(keyId, 0) >= conn.caller.maxSubscriptions()) {
                overKeyLimit.add(channel);
                continue;
            }
            if (!takeSubscribeBudget(keyId, conn.caller.maxSubscriptions())) {
                overRate.add(channel);
                continue;
            }
            ChannelLogs.Opened<Buffer> opened = logs.open(channel);
            if (!opened.ok()) { // not after the check above (it depends on the name only); answered all the same
                invalid.add(StreamChannel.shorten(channel));
                reasons.add(opened.error());
                continue;
            }
            counters.channels = logs.size();
            Subscription s = new Subscription(conn, channel, opened.log(), request.resume().getOrDefault(channel, -1L));
            // A stable channel's seqs are the data's own: the same on every instance, whatever the epoch.
            s.foreign = !s.log.stable() && s.delivered >= 0 && request.epoch() != null
                    && !request.epoch().equals(epoch)
                    // a seq a numbering given up reached may be of that numbering: its messages are not these
                    || s.log.stable() && s.delivered >= 0 && s.delivered <= s.log.oldNumberingHead();
            conn.subscriptions.put(channel, s);
            subscribers.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(s);
            keySubscriptions.merge(keyId, 1, Integer::sum);
            counters.subscriptions++;
            accepted.add(channel);
            seqs.put(channel, s.log.head());
            added.add(s);
        }
        if (!invalid.isEmpty()) {
            error(conn, MarketError.BAD_CHANNEL, String.join("; ", reasons), invalid);
        }
        if (!overConnectionLimit.isEmpty()) {
            error(conn, MarketError.SUBSCRIPTION_LIMIT, "too many subscriptions: at most "
                    + options.maxSubscriptionsPerConnection() + " per connection; not subscribed: "
                    + String.join(", ", overConnectionLimit), overConnectionLimit);
        }
        if (!overKeyLimit.isEmpty()) {
            error(conn, MarketError.SUBSCRIPTION_LIMIT, "too many subscriptions: your plan allows at most "
                    + conn.caller.maxSubscriptions() + " per API key across its connections; not subscribed: "
                    + String.join(", ", overKeyLimit), overKeyLimit);
        }
        if (!overRate.isEmpty()) {
            error(conn, MarketError.SUBSCRIPTION_LIMIT, "too many new subscriptions: each sends a snapshot, and your"
                    + " plan allows " + conn.caller.maxSubscriptions() + " per API key every " + SUBSCRIBE_REFILL_MS / 1_000
                    + " s (twice that at once); not subscribed, retry later: " + String.join(", ", overRate),
                    overRate);
        }
        if (!accepted.isEmpty()) {
            send(conn, ServerFrames.subscribed(accepted, seqs, epoch), true);
        }
        for (Subscription s : added) {
            if (!catchUp(s)) {
                break; // slow: the rest catch up when it drains
            }
        }
    }

    private void unsubscribe(StreamConnection conn, List<String> channels) {
        List<String> names = new ArrayList<>(channels.size());
        for (String channel : channels) {
            Subscription s = conn.subscriptions.remove(channel);
            if (s != null) {
                forget(s);
            }
            names.add(StreamChannel.shorten(channel));
        }
        send(conn, ServerFrames.unsubscribed(names), true);
    }

    /**
     * Brings the client up to the channel's head: the messages after what it has if the log still holds
     * them all, else a snapshot (flagged as a gap when it had state); a fresh subscription gets the plain
     * snapshot, or nothing when the channel has no state. False when the connection turned slow midway.
     */
    private boolean catchUp(Subscription s) {
        StreamConnection conn = s.connection;
        long head = s.log.head();
        if (s.delivered == head && !s.foreign) {
            return true;
        }
        if (s.delivered > head && s.log.stable() && !s.foreign && s.delivered > s.log.oldNumberingHead()) {
            awaitHead(s);
            return true;
        }
        if (s.delivered >= 0 && !s.foreign) {
            Replay<Buffer> replay = s.log.since(s.delivered, clockMs.getAsLong());
            if (replay.inWindow()) {
                for (Buffer frame : replay.messages()) {
                    if (!send(conn, frame, false)) {
                        return false;
                    }
                    s.delivered++;
                    counters.messagesSent++;
                }
                return true;
            }
        }
        boolean gap = s.delivered >= 0;
        JsonObject snapshot = source.snapshot(s.channel);
        if (snapshot == null && !gap) {
            s.delivered = head;
            return true;
        }
        if (gap) {
            // What the missed frames told that the snapshot does not (a K-line close), flagged like it.
            for (JsonObject missed : source.missed(s.channel, options.retention().maxAgeMs())) {
                if (!send(conn, ServerFrames.snapshot(s.channel, head, missed, true), false)) {
                    return false;
                }
                counters.messagesSent++;
            }
        }
        if (!send(conn, ServerFrames.snapshot(s.channel, head, snapshot, gap), false)) {
            return false;
        }
        s.delivered = head;
        s.foreign = false;
        counters.messagesSent++;
        return true;
    }

    /**
     * A client resuming a stable channel with a seq this process has not reached yet (another instance was
     * ahead on the feed): nothing is sent until the head passes it, then the messages after it go out as
     * usual. If the head has not reached it within {@link StreamOptions#resumeAheadWaitMs()} the client gets
     * the flagged snapshot.
     */
    private void awaitHead(Subscription s) {
        if (s.aheadTimer >= 0) {
            return;
        }
        s.aheadTimer = vertx.setTimer(options.resumeAheadWaitMs(), id -> {
            s.aheadTimer = -1;
            StreamConnection c = s.connection;
            if (s.delivered > s.log.head() && c.subscriptions.get(s.channel) == s && !c.slow && !c.dropped
                    && !c.closed) {
                s.foreign = true;
                catchUp(s);
            }
        });
    }

    /** Takes one new subscription from the key's budget ({@link #subscribeBudget}); false when it is spent. */
    private boolean takeSubscribeBudget(String keyId, int perRefill) {
        long now = monotonicMs.getAsLong();
        long interval = Math.max(1, SUBSCRIBE_REFILL_MS / Math.max(1, perRefill));
        long tat = Math.max(subscribeBudget.getOrDefault(keyId, now), now);
        if (tat - now > 2 * SUBSCRIBE_REFILL_MS - interval) { // a burst of twice the plan's maximum
            return false;
        }
        subscribeBudget.put(keyId, tat + interval);
        return true;
    }

    private void heartbeat() {
        long now = clockMs.getAsLong();
        long mono = monotonicMs.getAsLong();
        subscribeBudget.values().removeIf(tat -> tat <= mono); // whole again: nothing to remember
        for (StreamConnection c : connections) {
            if (c.slow) {
                continue;
            }
            Map<String, Long> seqs = new LinkedHashMap<>();
            for (Subscription s : c.subscriptions.values()) {
                seqs.put(s.channel, s.log.head());
            }
            send(c, ServerFrames.heartbeat(seqs, now, epoch), false);
        }
    }

    private void error(StreamConnection conn, MarketError error, String message, List<String> channels) {
        String text = message.length() <= MAX_ERROR_MESSAGE_CHARS ? message
                : message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "…";
        send(conn, ServerFrames.error(text, error.errorNo(), conn.caller.traceId(), channels), true);
    }

    /** Writes through the connection's bound; a refusal turns it slow. */
    private boolean send(StreamConnection conn, Buffer frame, boolean control) {
        return send(conn, frame, null, control);
    }

    /** As {@link #send(StreamConnection, Buffer, boolean)}, with the frame's wire encoding when there is one. */
    private boolean send(StreamConnection conn, Buffer frame, ByteBuf wire, boolean control) {
        if (conn.closed || conn.dropped) {
            return false;
        }
        if (conn.tryWrite(frame, wire, control)) {
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
        // Vert.x's drain handler never fires (the connection bounds its queue below Vert.x's mark): the write
        // completions say when it has drained, so a client that reads catches up then, not at the end of the grace.
        conn.watchDrain(true);
        if (!conn.warned) {
            conn.warned = true;
            error(conn, MarketError.SLOW_CONSUMER, "slow consumer: more than " + options.writeQueueHighWaterBytes()
                    + " bytes are waiting to be sent, so messages are being skipped; the connection will be "
                    + "disconnected if it has not drained within " + options.slowConsumerGraceMs()
                    + " ms (then reconnect and resume with your last seqs)", null);
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
        if (!conn.slow || conn.dropped || conn.closed) {
            return;
        }
        if (conn.queuedBytes() > options.writeQueueHighWaterBytes() / 2) {
            conn.watchDrain(true); // a write still pending says when
            return;
        }
        clearSlow(conn);
        for (Subscription s : conn.subscriptions.values()) {
            if (!catchUp(s)) {
                return;
            }
        }
    }

    private void drop(StreamConnection conn) {
        LOG.info("dropping slow stream consumer of key {} (trace {}): {} bytes still queued after {} ms",
                conn.caller.keyId(), conn.caller.traceId(), conn.queuedBytes(), options.slowConsumerGraceMs());
        clearSlow(conn);
        unregister(conn);
        conn.dropped = true;
        counters.slowConsumersDropped++; // after unregister: whoever sees the count sees the connection gone
        conn.ws.close(POLICY_VIOLATION, new ErrorBody("slow consumer: not drained within " + options.slowConsumerGraceMs()
                + " ms", MarketError.SLOW_CONSUMER.errorNo(), conn.caller.traceId()).toCloseReason());
        hardCloseLater(conn);
    }

    /** One grace period after a close the server chose, the TCP connection goes if the close frame could not get out. */
    private void hardCloseLater(StreamConnection conn) {
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
        conn.watchDrain(false);
        if (conn.slow) {
            conn.slow = false;
            conn.warned = false; // the next slow episode is told too
            counters.slowConsumers--;
        }
        if (conn.graceTimer >= 0) {
            vertx.cancelTimer(conn.graceTimer);
            conn.graceTimer = -1;
        }
    }

    private void unregister(StreamConnection conn) {
        if (!conn.registered) {
            return;
        }
        conn.registered = false;
        for (Subscription s : conn.subscriptions.values()) {
            forget(s);
        }
        conn.subscriptions.clear();
        connections.remove(conn);
        counters.connections = connections.size();
    }

    /** Removes {@code s} from its channel's subscribers and its key's count (not from its connection's map). */
    private void forget(Subscription s) {
        Set<Subscription> subs = subscribers.get(s.channel);
        if (subs != null && subs.remove(s) && subs.isEmpty()) {
            subscribers.remove(s.channel);
        }
        keySubscriptions.computeIfPresent(s.connection.caller.keyId(), (k, n) -> n > 1 ? n - 1 : null);
        counters.subscriptions--;
    }

    private void checkOwner() {
        if (Thread.currentThread() != ownerThread) {
            throw new IllegalStateException("MarketStreams.publish must be called on its owner context, not on "
                    + Thread.currentThread().getName());
        }
    }

    /** Written on the owner (or, for the byte counts, on write completions); read by {@link #stats()} anywhere. */
    static final class Counters {
        volatile long connections;
        volatile long subscriptions;
        volatile long channels;
        volatile long messagesSent;
        volatile long slowConsumers;
        volatile long slowConsumersDropped;
        volatile long floodersClosed;
        /** Owner thread only writes it. */
        volatile long wireWrites;
        final AtomicLong queuedBytes = new AtomicLong();
        final AtomicLong peakConnectionQueuedBytes = new AtomicLong();
    }

    /**
     * The close reason of a stream the server ends as it stops: the error model (-9001), short enough for a close
     * frame; the client reconnects (through the gateway, to another instance) and resumes.
     */
    static String shuttingDown(StreamConnection conn) {
        return new ErrorBody("market-api is shutting down; reconnect", -9001, conn.caller.traceId()).toCloseReason();
    }

}
