package org.opentrade.sdk.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.opentrade.sdk.Credentials;

/**
 * A resumable OpenTrade WebSocket stream (market or orders): connects with the client's credentials,
 * subscribes, and on any loss (close, error, silence past the heartbeat timeout, a {@code seq} gap)
 * reconnects with back-off and subscribes again with {@code resume} from the last {@code seq}
 * delivered and its {@code epoch}, so the handler sees every message exactly once and in order; when
 * the server no longer holds the missed messages it sends a snapshot, delivered with
 * {@link StreamMessage#gap()} set.
 *
 * <p>Threads: the JDK WebSocket's threads receive (one frame at a time per connection); one dispatch
 * thread per stream calls the {@link StreamListener}; one scheduler thread runs the watchdog and the
 * reconnects. The receive side asks the socket for the next frame only while the dispatch queue has
 * room, which is the back-pressure.
 */
public final class StreamClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object CLOSE = new Object();

    /**
     * One HTTP client for every stream of the process (the connect timeout is each WebSocket's own). A client's
     * selector thread lives until the client is garbage-collected, and JDK 17 has no way to stop it: with a client
     * per stream, every stream closed left its threads behind for as long as its StreamClient was referenced.
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Config cfg;
    private final SeqTracker seqs = new SeqTracker();
    private final BlockingQueue<Object> queue;
    private final ScheduledExecutorService scheduler;
    private final Thread dispatcher;

    // Guarded by this.
    private WebSocket socket;
    private long generation;
    private int failures;
    /**
     * When the current connection was first answered {@code subscribed} (0: not yet), and whether a heartbeat came
     * after it: the back-off starts over only for a connection that was healthy (a heartbeat, or {@link
     * #HEALTHY_NANOS} subscribed). Reset by every {@code subscribed}, a server that subscribes and then closes (a
     * store that fails each snapshot, a slow consumer) was reconnected to every 100 ms, forever.
     */
    private long subscribedNanos;
    /** What the current connection is sending (its frames go one at a time), and its resubscribes so far. */
    private CompletableFuture<WebSocket> sends;
    private int refusedRetries;
    /** The market stream's "not subscribed: a limit" error number. */
    private static final int SUBSCRIPTION_LIMIT = -6012;
    private boolean heartbeatSinceSubscribed;
    private static final long HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private boolean closed;
    private boolean paused;
    private long lastFrameNanos = System.nanoTime();

    private StreamClient(Config cfg) {
        this.cfg = cfg;
        this.queue = new LinkedBlockingQueue<>();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "opentrade-stream-scheduler"));
        this.dispatcher = daemon(this::dispatch, "opentrade-stream-dispatch");
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A stream builder.
     *
     * @param baseUrl the gateway's http(s) URL; ws(s) is derived from it
     * @param path {@code /v1/stream/market} or {@code /v1/stream/orders}
     */
    public static Builder builder(String baseUrl, String path, Credentials credentials) {
        return new Builder(baseUrl, path, credentials);
    }

    private void start() {
        dispatcher.start();
        // Checked every second at most (a silent connection is replaced within the timeout + 1 s): the
        // watchdog is the one detector every loss passes, because JDK 17's WebSocket can miss the end of
        // a connection that arrives while the listener is running (see heartbeatTimeout).
        long checkMillis = Math.max(50, Math.min(1000, cfg.heartbeatTimeout().toMillis() / 4));
        scheduler.scheduleWithFixedDelay(this::watchdog, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        state(StreamState.CONNECTING, null);
        scheduler.execute(this::connect);
    }

    // ---------------------------------------------------------------- connecting

    private void connect() {
        long gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            gen = ++generation;
            seqs.onReconnect();
        }
        URI uri = URI.create(cfg.wsUrl());
        WebSocket.Builder ws = HTTP.newWebSocketBuilder().connectTimeout(cfg.connectTimeout());
        try {
            // The upgrade is signed like any GET; an http(s) twin of the URI carries the headers (the
            // JDK's request builder takes no ws scheme).
            HttpRequest.Builder signed = HttpRequest.newBuilder(URI.create(cfg.httpUrl())).GET();
            cfg.credentials().apply(signed, "GET", uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                    new byte[0]);
            signed.build().headers().map().forEach((name, values) -> values.forEach(v -> ws.header(name, v)));
        } catch (RuntimeException e) {
            closeForGood("cannot open the stream: " + e);
            return;
        }
        ws.buildAsync(uri, new Receiver(gen)).whenComplete((socket, failure) -> {
            if (failure != null) {
                connectFailed(gen, failure);
            } else {
                connected(gen, socket);
            }
        });
    }

    private void connected(long gen, WebSocket ws) {
        synchronized (this) {
            if (closed || gen != generation) {
                ws.abort();
                return;
            }
            socket = ws;
            sends = CompletableFuture.completedFuture(ws);
            refusedRetries = 0;
            lastFrameNanos = System.nanoTime();
            subscribedNanos = 0;
            heartbeatSinceSubscribed = false;
            send(subscribeFrames(cfg.channels()));
        }
    }

    /**
     * The subscribe frames for {@code wanted}: one per epoch their resume points belong to (a server tells another's
     * seqs by it); the channels without a point subscribe afresh in the first. Holding the lock.
     */
    private List<ObjectNode> subscribeFrames(List<String> wanted) {
        List<ObjectNode> frames = new ArrayList<>();
        List<String> fresh = new ArrayList<>(wanted);
        for (Map.Entry<String, Map<String, Long>> group : seqs.resumeByEpoch().entrySet()) {
            ObjectNode subscribe = JSON.createObjectNode().put("op", "subscribe");
            ArrayNode channels = subscribe.putArray("channels");
            ObjectNode resume = subscribe.putObject("resume");
            group.getValue().forEach((channel, seq) -> {
                if (fresh.remove(channel)) {
                    channels.add(channel);
                    resume.put(channel, seq);
                }
            });
            subscribe.put("epoch", group.getKey());
            if (!channels.isEmpty()) {
                frames.add(subscribe);
            }
        }
        if (!fresh.isEmpty() || frames.isEmpty()) {
            ObjectNode subscribe = JSON.createObjectNode().put("op", "subscribe");
            fresh.forEach(subscribe.putArray("channels")::add);
            frames.add(0, subscribe);
        }
        return frames;
    }

    /** Sends {@code frames} after whatever this connection is still sending (one text message at a time). Holding the lock. */
    private void send(List<ObjectNode> frames) {
        for (ObjectNode frame : frames) {
            sends = sends.thenCompose(w -> w.sendText(frame.toString(), true));
        }
    }

    /**
     * Channels the server did not subscribe for a limit (-6012: per connection, per key, or the key's subscribe
     * pace) are asked for again on this connection after 10 s, doubling to a minute: the pace refills, another
     * connection may close. Left alone, they were never subscribed while the stream said it was.
     */
    private void resubscribeLater(long gen, List<String> channels) {
        long delay = Math.min(6 * cfg.resubscribeMs(), cfg.resubscribeMs() << Math.min(refusedRetries++, 3));
        scheduler.schedule(() -> {
            synchronized (this) {
                if (!closed && gen == generation && socket != null) {
                    List<String> wanted = new ArrayList<>(channels);
                    wanted.retainAll(cfg.channels());
                    if (!wanted.isEmpty()) {
                        send(subscribeFrames(wanted));
                    }
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void connectFailed(long gen, Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            if (status == 401 || status == 403) {
                String body = String.valueOf(h.getResponse().body());
                if (errorNo(body) == SIGNATURE_ALREADY_USED) {
                    // Another signer of this key (another process, another Credentials object) signed this very
                    // upgrade in the same millisecond, and Ed25519 signs alike what is alike. The next attempt is
                    // signed afresh and accepted: giving up here ended a healthy stream for good, by chance.
                    lost(gen, "signature already used (" + status + "), signing afresh: " + body);
                    return;
                }
                // Credentials refused: reconnecting would be refused the same way.
                closeForGood("credentials refused (" + status + "): " + body);
                return;
            }
        }
        lost(gen, "connect failed: " + cause);
    }

    /** The gateway's "the signature was already used" (each signed request is accepted once). */
    private static final int SIGNATURE_ALREADY_USED = -2010;

    /** The {@code error_no} of an error model, 0 when {@code body} is not one. */
    private static int errorNo(String body) {
        try {
            return JSON.readTree(body).path("error_no").asInt(0);
        } catch (Exception notJson) {
            return 0;
        }
    }

    /** The connection of generation {@code gen} is lost: reconnect (once per generation) after back-off. */
    private void lost(long gen, String reason) {
        WebSocket old;
        int attempt;
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            generation++; // frames still arriving from the old socket are ignored from now
            old = socket;
            socket = null;
            paused = false;
            if (heartbeatSinceSubscribed || subscribedNanos != 0 && System.nanoTime() - subscribedNanos >= HEALTHY_NANOS) {
                failures = 0;
            }
            subscribedNanos = 0;
            heartbeatSinceSubscribed = false;
            attempt = ++failures;
        }
        if (old != null) {
            old.abort();
        }
        state(StreamState.RECONNECTING, reason);
        long cap = Math.min(cfg.maxBackoff().toMillis(), cfg.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        long delay = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void watchdog() {
        long gen;
        synchronized (this) {
            if (socket == null || closed || paused) {
                return; // while paused the server is waiting on us, not silent
            }
            if (System.nanoTime() - lastFrameNanos < cfg.heartbeatTimeout().toNanos()) {
                return;
            }
            gen = generation;
        }
        lost(gen, "no frame for " + cfg.heartbeatTimeout().toMillis() + " ms");
    }

    // ---------------------------------------------------------------- receiving

    /** Receives one connection's frames; stale once {@link #generation} moves on. */
    private final class Receiver implements WebSocket.Listener {
        private final long gen;
        private final StringBuilder partial = new StringBuilder();

        Receiver(long gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (!last) {
                ws.request(1);
                return null;
            }
            String text = partial.toString();
            partial.setLength(0);
            if (received(gen, text)) {
                requestNext(gen, ws);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lost(gen, "closed " + statusCode + (reason == null || reason.isEmpty() ? "" : ": " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lost(gen, "connection error: " + error);
        }
    }

    /** Handles one complete frame; false when the connection was given up (no next frame wanted). */
    private boolean received(long gen, String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception notJson) {
            LOG.log(System.Logger.Level.WARNING, "stream frame is not JSON, ignored: {0}", text);
            return true;
        }
        String gapReason = null;
        synchronized (this) {
            if (gen != generation || closed) {
                return false;
            }
            lastFrameNanos = System.nanoTime();
            if (frame.has("channel") && frame.has("seq")) {
                String channel = frame.get("channel").asText();
                long seq = frame.get("seq").asLong();
                boolean snapshot = frame.path("snapshot").asBoolean(false);
                JsonNode parts = frame.path("data").path("open_orders");
                switch (seqs.onData(channel, seq, snapshot,
                        snapshot && "snapshot".equals(frame.path("type").asText()) && parts.canConvertToLong()
                                ? Math.max(0, parts.asLong()) : -1)) {
                    case DELIVER -> enqueue(new StreamMessage(channel, seq, frame.path("type").isTextual()
                            ? frame.get("type").asText() : null, snapshot,
                            snapshot && frame.path("resumed").isBoolean() && !frame.get("resumed").asBoolean(),
                            frame.get("data")));
                    case DUPLICATE -> { }
                    case GAP -> gapReason = "gap on " + channel + " before seq " + seq;
                }
            } else {
                String type = frame.path("type").asText("");
                switch (type) {
                    case "subscribed" -> {
                        seqs.onSubscribed(heads(frame), frame.path("epoch").isTextual() ? frame.get("epoch").asText() : null);
                        if (subscribedNanos == 0) {
                            subscribedNanos = System.nanoTime();
                        }
                        enqueue(new StateChange(StreamState.LIVE, "subscribed"));
                    }
                    case "heartbeat" -> {
                        heartbeatSinceSubscribed |= subscribedNanos != 0;
                        if (seqs.heartbeatShowsGap(heads(frame))) {
                            gapReason = "heartbeat reports messages not received";
                        }
                    }
                    case "error" -> {
                        enqueue(frame);
                        if (frame.path("error_no").asInt() == SUBSCRIPTION_LIMIT && frame.path("channels").isArray()) {
                            List<String> refused = new ArrayList<>();
                            frame.get("channels").forEach(c -> refused.add(c.asText()));
                            resubscribeLater(gen, refused);
                        }
                    }
                    default -> { } // pong, unsubscribed
                }
            }
        }
        if (gapReason != null) {
            lost(gen, gapReason);
            return false;
        }
        return true;
    }

    private static Map<String, Long> heads(JsonNode frame) {
        Map<String, Long> heads = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = frame.path("seqs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            heads.put(e.getKey(), e.getValue().asLong());
        }
        return heads;
    }

    /**
     * Called with this held. The queue itself is unbounded, but holds at most about
     * {@code queueCapacity} items: the next frame is requested only while it holds fewer.
     */
    private void enqueue(Object item) {
        queue.add(item);
    }

    private void requestNext(long gen, WebSocket ws) {
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            if (queue.size() >= cfg.queueCapacity()) {
                paused = true; // the dispatcher asks for the next frame when it has taken one
                return;
            }
        }
        ws.request(1);
    }

    // ---------------------------------------------------------------- dispatching

    private void dispatch() {
        while (true) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            resumeIfPaused();
            if (item == CLOSE) {
                return;
            }
            if (item instanceof StreamMessage m) {
                try {
                    cfg.listener().onMessage(m);
                } catch (VirtualMachineError fatal) {
                    throw fatal; // out of memory and the like: nothing sensible goes on after it
                } catch (Throwable t) {
                    // Not only RuntimeException: a JUnit assertion (an Error) or a checked exception thrown from Kotlin
                    // or a sneaky throw ended this thread, and with it the stream: the queue filled, the socket
                    // stopped being read, and the watchdog spares a paused stream, so nothing was delivered again.
                    RuntimeException failure = t instanceof RuntimeException r ? r
                            : new RuntimeException("onMessage threw " + t, t);
                    safely(() -> cfg.listener().onHandlerFailure(m, failure));
                }
            } else if (item instanceof StateChange c) {
                safely(() -> cfg.listener().onState(c.state, c.reason));
            } else if (item instanceof JsonNode error) {
                safely(() -> cfg.listener().onErrorFrame(error));
            }
        }
    }

    private void resumeIfPaused() {
        WebSocket ws;
        synchronized (this) {
            if (!paused || socket == null || queue.size() >= cfg.queueCapacity()) {
                return;
            }
            paused = false;
            ws = socket;
        }
        ws.request(1);
    }

    /** Runs a listener callback; whatever it throws is logged and the dispatch thread goes on. */
    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "stream listener threw", e);
        }
    }

    private record StateChange(StreamState state, String reason) { }

    /** States are queued like messages, so the listener sees them in order with the data. */
    private void state(StreamState s, String reason) {
        queue.add(new StateChange(s, reason));
    }

    // ---------------------------------------------------------------- closing

    private void closeForGood(String reason) {
        WebSocket ws;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            generation++;
            ws = socket;
            socket = null;
        }
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((r, e) -> ws.abort());
        }
        scheduler.shutdownNow();
        state(StreamState.CLOSED, reason);
        queue.offer(CLOSE);
    }

    /** Closes the stream; messages already queued are still delivered, then {@link StreamState#CLOSED}. */
    @Override
    public void close() {
        closeForGood("closed by the client");
    }

    /** Messages and state changes waiting for the listener now (for tests and metrics). */
    public int queued() {
        return queue.size();
    }

    /** Waits until the dispatch thread has delivered everything and stopped; true if it did in time. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        dispatcher.join(Math.max(1, timeout.toMillis()));
        return !dispatcher.isAlive();
    }

    /**
     * The settings a stream runs with, copied from its {@link Builder} by {@link Builder#start()}: the scheduler, the
     * receiving threads and the dispatcher read them without a lock, so nothing may change them after the start.
     * Holding the caller's builder instead, channels added to it for the next stream were subscribed on this one's
     * next reconnect, through an {@code ArrayList} the scheduler read while the caller wrote it.
     */
    private record Config(String httpUrl, String wsUrl, Credentials credentials, List<String> channels,
            StreamListener listener, int queueCapacity, Duration heartbeatTimeout, Duration connectTimeout,
            Duration initialBackoff, Duration maxBackoff, long resubscribeMs) { }

    /**
     * Settings of a stream; each has a default but the listener. Not thread-safe. {@link #start()} copies them, so the
     * builder may be changed and started again for another stream without touching the streams it started.
     */
    public static final class Builder {
        private final String baseUrl;
        private final String path;
        private final Credentials credentials;
        private final List<String> channels = new ArrayList<>();
        private StreamListener listener;
        private boolean cancelOnDisconnect;
        private int queueCapacity = 10_000;
        private Duration heartbeatTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        /** The first wait before channels refused for a limit are asked for again (tests shorten it). */
        long resubscribeMs = 10_000;

        Builder(String baseUrl, String path, Credentials credentials) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.path = path;
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        public Builder channels(String... names) {
            channels.addAll(List.of(names));
            return this;
        }

        public Builder listener(StreamListener l) {
            this.listener = l;
            return this;
        }

        /** Order stream only: cancel the account's open orders when its last such connection closes. */
        public Builder cancelOnDisconnect(boolean on) {
            this.cancelOnDisconnect = on;
            return this;
        }

        /** Messages waiting for the handler before the socket stops reading (default 10 000). */
        public Builder queueCapacity(int n) {
            if (n < 16) {
                throw new IllegalArgumentException("queueCapacity must be at least 16, not " + n);
            }
            this.queueCapacity = n;
            return this;
        }

        /**
         * Silence after which the connection counts as lost (default 30 s; servers beat every 10 s). Also
         * the bound on noticing a connection the network closed: on JDK 17 the WebSocket client can lose
         * an end of stream that arrives while it is delivering a frame (its debug log shows {@code read: EOF}
         * and no {@code onClose}), so such a loss is seen only as silence.
         */
        public Builder heartbeatTimeout(Duration d) {
            this.heartbeatTimeout = atLeastOneMilli("heartbeatTimeout", d);
            return this;
        }

        /** How long one connection attempt may take (default 5 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = atLeastOneMilli("connectTimeout", d);
            return this;
        }

        /** Tests: the first wait before channels refused for a limit are asked for again. */
        Builder resubscribeAfter(Duration wait) {
            this.resubscribeMs = atLeastOneMilli("resubscribeAfter", wait).toMillis();
            return this;
        }

        /**
         * Reconnect back-off: from {@code initial} doubling to {@code max}, with jitter (defaults 100 ms, 5 s). Shorter
         * waits find a server back sooner; longer ones spare a server that is struggling.
         */
        public Builder backoff(Duration initial, Duration max) {
            atLeastOneMilli("backoff initial", initial);
            atLeastOneMilli("backoff max", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff max must be at least backoff initial (" + initial + "), not "
                        + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * {@code d}, if it is at least 1 ms, the resolution the stream schedules in. Unchecked, a zero, negative or
         * sub-millisecond back-off reconnected in a tight loop; such a heartbeat timeout counted every connection lost
         * at the watchdog's first look; a zero or negative connect timeout threw on the scheduler thread, and the
         * stream never connected.
         */
        private static Duration atLeastOneMilli(String setting, Duration d) {
            Objects.requireNonNull(d, setting);
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException(setting + " must be at least 1 ms, not " + d);
            }
            return d;
        }

        String httpUrl() {
            return baseUrl + path + (cancelOnDisconnect ? "?cancel_on_disconnect=true" : "");
        }

        String wsUrl() {
            return httpUrl().replaceFirst("^http", "ws");
        }

        /**
         * Opens a stream with the settings as they are now (a copy: later changes to this builder do not reach it); it
         * connects in the background and reports its state to the listener.
         */
        public StreamClient start() {
            if (listener == null) {
                throw new IllegalStateException("a stream needs a listener");
            }
            if (channels.isEmpty()) {
                throw new IllegalStateException("a stream needs at least one channel");
            }
            StreamClient c = new StreamClient(new Config(httpUrl(), wsUrl(), credentials, List.copyOf(channels), listener,
                    queueCapacity, heartbeatTimeout, connectTimeout, initialBackoff, maxBackoff, resubscribeMs));
            c.start();
            return c;
        }
    }
}
