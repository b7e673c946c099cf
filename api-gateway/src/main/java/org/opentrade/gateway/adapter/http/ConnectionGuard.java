package org.opentrade.gateway.adapter.http;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.opentrade.gateway.domain.Cidr;
import org.opentrade.gateway.domain.GatewayError;

/**
 * Slow and greedy clients: caps open connections (in all and per address), cuts off a client that
 * takes too long to send a request (slowloris: a head or body trickled a byte at a time defeats an
 * idle timeout), and answers heads the decoder refuses (too long, malformed) with the error model
 * instead of a bare status.
 * One guard per gateway, shared by its servers on every event loop. Handlers run on the connection's
 * event loop and never block.
 */
public final class ConnectionGuard {
    private final Vertx vertx;
    private final ServerLimits limits;
    private final ClientAddresses addresses;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per address bucket; an entry goes when its last connection closes. */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refusedOverCap = new LongAdder();
    private final LongAdder refusedPerAddress = new LongAdder();
    /** One entry per open connection, removed by its close handler. */
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
    /** The decoder's limits, for {@link AmbiguousLengthGuard}'s decoder. */
    private final HttpServerOptions decoderOptions;

    /** @param trustedProxies the load balancers whose connections no per-address cap counts */
    public ConnectionGuard(Vertx vertx, ServerLimits limits, List<Cidr> trustedProxies) {
        this.vertx = vertx;
        this.limits = limits;
        this.decoderOptions = decoderOptions(limits);
        this.addresses = new ClientAddresses(trustedProxies);
    }

    /** Puts the guard in front of {@code handler} on {@code server}. */
    public HttpServer install(HttpServer server, Handler<HttpServerRequest> handler) {
        return server.connectionHandler(this::connected)
                .invalidRequestHandler(this::invalid)
                .requestHandler(req -> {
                    Watch w = watches.get(req.connection());
                    if (w == null || w.refused) {
                        // A request decoded behind one refused for its framing: its bytes are what a front proxy took
                        // for the refused request's body (a smuggled request). It is never served, whatever it is.
                        // Nor is one on a connection already closed (its watch is gone as its socket closes, which
                        // can be before Vert.x hands over the requests it had decoded) or refused over a cap.
                        req.connection().close();
                        return;
                    }
                    w.requests++;
                    w.current = req;
                    w.headAt = System.nanoTime();
                    String framing = AmbiguousLengthGuard.problem(req);
                    if (framing != null) {
                        refuseConnection(req, framing);
                        return;
                    }
                    handler.handle(req);
                });
    }

    /** Open connections now. */
    public int openConnections() {
        return open.get();
    }

    /** {@code opentrade_gateway_connections} and the connections refused, by why, for {@code /metrics}. */
    public String prometheus() {
        String refused = "opentrade_gateway_connections_refused_total{reason=";
        return "opentrade_gateway_connections " + open.get() + "\n"
                + refused + "\"connections\"} " + refusedOverCap.sum() + "\n"
                + refused + "\"per_address\"} " + refusedPerAddress.sum() + "\n";
    }

    private void connected(HttpConnection connection) {
        int now = open.incrementAndGet();
        String address = addresses.connectionKey(connection.remoteAddress());
        int fromThere = address == null ? 0 : perAddress.merge(address, 1, Integer::sum);
        Watch watch = new Watch(connection);
        onClose(connection, () -> {
            open.decrementAndGet();
            if (address != null) {
                perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            }
            watches.remove(connection);
            vertx.cancelTimer(watch.timer);
        });
        if (now > limits.maxConnections()) {
            refusedOverCap.increment();
            connection.close();
            return;
        }
        if (fromThere > limits.maxConnectionsPerAddress()) {
            refusedPerAddress.increment();
            connection.close();
            return;
        }
        watches.put(connection, watch);
        watch.arm();
        AmbiguousLengthGuard.install(connection, decoderOptions);
    }

    /**
     * Runs {@code action} once when the connection's socket closes, however the connection ends. Not the
     * connection's {@code closeHandler}: a connection upgraded to a WebSocket is handed to the WebSocket's own
     * handler in the pipeline, and the HTTP connection's close handler never runs for it. Every WebSocket kept
     * its slot in both caps and its entry in {@link #watches} for the life of the process, so after
     * {@code max_connections_per_address} streams an address could no longer connect at all, and after
     * {@code max_connections} nobody could (a client that reconnects its streams got there alone).
     */
    private static void onClose(HttpConnection connection, Runnable action) {
        if (connection instanceof ConnectionBase base) {
            base.channel().closeFuture().addListener(f -> action.run());
        } else {
            connection.closeHandler(v -> action.run());
        }
    }

    /**
     * The HTTP decoder's settings for {@code limits}: the largest head and request line (Netty's others
     * are left at Vert.x's defaults). The gateway's servers are created with these.
     */
    public static HttpServerOptions decoderOptions(ServerLimits limits) {
        return new HttpServerOptions().setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxInitialLineLength(limits.maxRequestLineBytes());
    }

    /**
     * Answers {@code req} 400 -1001 and closes its connection, serving nothing more on it: the requests already
     * decoded behind it (pipelined, or smuggled in what a front proxy took for its body) are dropped unanswered.
     */
    private void refuseConnection(HttpServerRequest req, String why) {
        Watch w = watches.get(req.connection());
        if (w != null) {
            w.refused = true;
        }
        HttpErrors.sendAndClose(req, GatewayError.MALFORMED_REQUEST, why);
    }

    /** Netty could not decode the head: answer with the error model, then close. */
    private void invalid(HttpServerRequest request) {
        Watch w = watches.get(request.connection());
        if (w != null) {
            w.refused = true; // the byte stream after a head that could not be read is not to be trusted either
        }
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpHeaderException) {
            HttpErrors.sendAndClose(request, GatewayError.HEADERS_TOO_LARGE, "the request headers are larger than allowed");
        } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
            HttpErrors.sendAndClose(request, GatewayError.URI_TOO_LONG, "the request line is longer than allowed");
        } else if (cause instanceof AmbiguousLengthGuard.UnsupportedVersion) {
            HttpErrors.sendAndClose(request, GatewayError.HTTP_VERSION_NOT_SUPPORTED,
                    "only HTTP/1.1 and HTTP/1.0 are served; send the request as HTTP/1.1");
        } else if (cause instanceof AmbiguousLengthGuard.BothLengths) {
            HttpErrors.sendAndClose(request, GatewayError.MALFORMED_REQUEST,
                    "the request has both Content-Length and Transfer-Encoding; send one");
        } else {
            HttpErrors.sendAndClose(request, GatewayError.MALFORMED_REQUEST, "the request could not be read: malformed HTTP");
        }
    }

    /** The read deadline of one connection; touched on its event loop only. */
    private final class Watch {
        final HttpConnection connection;
        long timer = -1;
        long requests;
        long requestsAtArm;
        long headAt;
        HttpServerRequest current;
        /** A request on it was refused for its framing: nothing more is served on it. */
        boolean refused;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void arm() {
            requestsAtArm = requests;
            timer = vertx.setTimer(limits.requestReadTimeout().toMillis(), id -> check());
        }

        /**
         * Between requests with no new head since the last check: close. A head in, body still
         * coming for longer than the timeout: 408. Otherwise (being answered, a WebSocket, a request
         * that came and went since the last check): look again later.
         */
        void check() {
            HttpServerRequest req = current;
            if (req != null && req.response().ended() && req.response().getStatusCode() == 101) {
                return; // a WebSocket now: the idle timeout and the pools' pings watch it
            }
            boolean serving = req != null && !req.response().ended();
            if (!serving && requests == requestsAtArm) {
                connection.close();
                return;
            }
            if (serving && !req.isEnded()
                    && System.nanoTime() - headAt >= TimeUnit.MILLISECONDS.toNanos(limits.requestReadTimeout().toMillis())) {
                HttpErrors.sendAndClose(req, GatewayError.REQUEST_TIMEOUT, "the request body did not arrive within "
                        + limits.requestReadTimeout().toMillis() + " ms");
                return;
            }
            arm();
        }
    }
}
