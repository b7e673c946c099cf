package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.gateway.adapter.http.FirstFrameAuth;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.OpenStreams;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.WebSocketHandshake;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.GatewayError;

/**
 * The handler of a WebSocket route ({@code /v1/stream/...}): dials the upstream's WebSocket first
 * (same path and query, filtered headers plus the identity headers), and only then upgrades the
 * caller, so a caller whose stream cannot be served gets a plain HTTP 503 with the error model
 * instead of a socket that closes at once. The dial is retried on another instance like a GET.
 * An upstream that refuses the upgrade with a 4xx, or with a 503 carrying {@code Retry-After}, has its
 * answer relayed unchanged and not retried (it is the upstream's own verdict, e.g. an unknown stream, and
 * no failure of its breaker); anything else answers 503 -9001.
 *
 * <p>A caller authenticated by a first frame ({@code FirstFrameAuth}) is upgraded already: its errors
 * go as an error frame and a close 1008 instead. Each stream is registered in {@code OpenStreams}
 * before the dial, so it ends when its credential does.
 *
 * <p>Mount it without a {@code BodyHandler}. The hop listener sees the handshake (ended with 101),
 * not the whole session. Called on the event loop; never blocks.
 */
public final class WebSocketProxyHandler implements Handler<RoutingContext> {
    private final UpstreamPool pool;
    private final UpstreamHopListener hops;
    private final BiConsumer<RoutingContext, MultiMap> identityHeaders;
    private final UpstreamPoolOptions options;

    public WebSocketProxyHandler(UpstreamPool pool, UpstreamHopListener hops,
                                 BiConsumer<RoutingContext, MultiMap> identityHeaders) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.hops = Objects.requireNonNull(hops, "hops");
        this.identityHeaders = Objects.requireNonNull(identityHeaders, "identityHeaders");
        this.options = pool.options();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.get(RequestKeys.UPGRADED_SOCKET) == null) {
            // Before anything is done for it: a request the caller's upgrade would refuse must not open (and
            // then close) a stream at the service, which can act on the close (cancel_on_disconnect).
            String problem = WebSocketHandshake.problem(ctx.request());
            if (problem != null) {
                WebSocketHandshake.refuse(ctx, problem);
                return;
            }
        }
        // Hold the handshake request as it is while the upstream is dialled.
        ctx.request().pause();
        OpenStreams streams = ctx.get(RequestKeys.OPEN_STREAMS);
        OpenStreams.Stream stream = null;
        if (streams != null) {
            stream = streams.open(ctx);
            if (stream == null) {
                HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE, "this gateway holds its maximum of open streams");
                return;
            }
        }
        MultiMap headers = ForwardHeaders.outbound(ctx, identityHeaders, true);
        new Dial(ctx, headers, stream).next();
    }

    /** The attempts to open the upstream socket for one caller. Confined to the caller's event loop. */
    private final class Dial {
        private final RoutingContext ctx;
        private final MultiMap headers;
        /** Registered so the stream ends with its credential; null when not tracked (tests, no auth). */
        private final OpenStreams.Stream stream;
        private final List<UpstreamInstance> tried = new ArrayList<>(2);
        private int retriesLeft = options.getMaxRetries();

        Dial(RoutingContext ctx, MultiMap headers, OpenStreams.Stream stream) {
            this.ctx = ctx;
            this.headers = headers;
            this.stream = stream;
        }

        private void forget() {
            if (stream != null) {
                stream.closed();
            }
        }

        void next() {
            UpstreamInstance instance = pool.select(tried, pool.partitionOf(UpstreamPool.developerOf(ctx)));
            if (instance == null) {
                forget();
                HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE, pool.name() + " is unavailable");
                return;
            }
            tried.add(instance);
            boolean[] started = {false};
            instance.breaker().<Void>execute(verdict -> {
                started[0] = true;
                connect(instance, verdict);
            }).onFailure(failure -> {
                if (!started[0] && failure instanceof OpenCircuitException) {
                    next();
                }
            });
        }

        private void connect(UpstreamInstance instance, Promise<Void> verdict) {
            MultiMap outbound = MultiMap.caseInsensitiveMultiMap().addAll(headers);
            UpstreamHopListener.Hop hop = hops.start(ctx, pool.name(), instance.target(), "GET",
                    ctx.request().path(), outbound);
            WebSocketConnectOptions connect = new WebSocketConnectOptions()
                    .setHost(instance.host()).setPort(instance.port()).setURI(ctx.request().uri())
                    .setHeaders(outbound)
                    .setConnectTimeout(options.getConnectTimeout().toMillis())
                    .setTimeout(options.getRequestTimeout().toMillis());
            // No subprotocol is passed on: the streams speak none, and asking an upstream for one it does not
            // select failed the dial (503 "unavailable" for the caller's header). The caller's handshake completes
            // without one, which RFC 6455 4.2.2 allows; a client that insists may then close.
            pool.webSocketClient().connect(connect).onComplete(ar -> {
                if (ar.succeeded()) {
                    verdict.tryComplete();
                    hop.end(101, null);
                    upgrade(ar.result());
                } else if (ar.cause() instanceof UpgradeRejectedException rejected && (rejected.getStatus() < 500
                        || ProxyExchange.deliberateRefusal(rejected.getStatus(), rejected.getHeaders()))) {
                    // The upstream's own verdict, a deliberate refusal included: no failure of the instance.
                    verdict.tryComplete();
                    hop.end(rejected.getStatus(), null);
                    forget();
                    relayRejection(rejected);
                } else {
                    verdict.tryFail(ar.cause());
                    hop.end(ar.cause() instanceof UpgradeRejectedException r ? r.getStatus() : -1, ar.cause());
                    if (retriesLeft-- > 0) {
                        next();
                    } else {
                        forget();
                        HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE, pool.name() + " is unavailable");
                    }
                }
            });
        }

        private void upgrade(WebSocket upstream) {
            // Frames from the upstream wait in its queue until the caller's socket exists.
            upstream.pause();
            ServerWebSocket upgraded = ctx.get(RequestKeys.UPGRADED_SOCKET);
            if (upgraded != null) {
                // Authenticated by a first frame: the caller's socket exists, paused since that frame.
                if (upgraded.isClosed()) {
                    forget(); // the caller left while it was being authenticated or dialled
                    upstream.close(WebSocketBridge.GOING_AWAY, "client went away");
                    return;
                }
                bridge(upgraded, upstream);
                upgraded.resume();
                return;
            }
            ctx.request().toWebSocket().onComplete(ar -> {
                if (ar.succeeded()) {
                    bridge(ar.result(), upstream);
                } else {
                    forget();
                    upstream.close((short) 1001, "client upgrade failed");
                }
            });
        }

        private void bridge(ServerWebSocket client, WebSocket upstream) {
            // The request's answer never ends: it ends as the stream opens (metered, counted, its SERVER span ended).
            AnswerEnd.upgraded(ctx, 101, true);
            WebSocketBridge bridge = new WebSocketBridge(ctx.vertx(), client, upstream, options, pool.name(),
                    HttpErrors.traceId(ctx));
            if (stream != null) {
                bridge.onEnd(stream::closed);
                stream.attach(why -> bridge.end(why, stream.traceId()));
            }
            bridge.start();
        }

        private void relayRejection(UpgradeRejectedException rejected) {
            if (FirstFrameAuth.fail(ctx, GatewayError.UPSTREAM_UNAVAILABLE.code(),
                    pool.name() + " refused the stream with HTTP " + rejected.getStatus())) {
                return;
            }
            HttpServerResponse out = ctx.response();
            String ownTraceId = out.headers().get(HttpErrors.TRACE_HEADER);
            out.setStatusCode(rejected.getStatus());
            if (rejected.getHeaders() != null) {
                ForwardHeaders.copyResponse(rejected.getHeaders(), out.headers());
            }
            ForwardHeaders.oneTraceId(out.headers(), ownTraceId, HttpErrors.traceId(ctx));
            out.headers().remove("Content-Length");
            if (rejected.getBody() != null) {
                out.end(rejected.getBody());
            } else {
                out.end();
            }
        }
    }
}
