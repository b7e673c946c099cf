package org.opentrade.gateway.app;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import io.vertx.ext.web.Router;
import org.opentrade.common.tracing.SpanStore;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.gateway.adapter.http.ConnectionGuard;
import org.opentrade.gateway.adapter.http.ServerLimits;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;
import org.opentrade.gateway.adapter.http.tracing.TracingHopListener;

/**
 * A complete, traced gateway: tracing, upstream pools and {@link ApiGateway} with the stores the
 * config names. The all-in-one mounts it on its own router; {@link GatewayMain} gives it a server.
 */
public final class GatewayServer {
    private final Tracing tracing;
    private final Upstreams upstreams;
    private final ApiGateway gateway;

    private GatewayServer(Tracing tracing, Upstreams upstreams, ApiGateway gateway) {
        this.tracing = tracing;
        this.upstreams = upstreams;
        this.gateway = gateway;
    }

    /**
     * Starts everything; {@code spanStore} is shared with the other services of the same JVM, or
     * null for a store of its own.
     */
    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, SpanStore spanStore) {
        Tracing tracing = spanStore == null ? Tracing.create(config.tracing()) : Tracing.create(config.tracing(), spanStore);
        Upstreams upstreams = Upstreams.create(vertx, config.upstreams(), new TracingHopListener(tracing));
        return ApiGateway.start(vertx, config, GatewayHooks.traced(tracing, upstreams::handler),
                        ApiGateway::configuredStores)
                .map(gw -> new GatewayServer(tracing, upstreams, gw))
                .onFailure(err -> {
                    upstreams.close();
                    tracing.close();
                });
    }

    /** {@link #serverOptions(ServerLimits)} with the default limits. */
    public static HttpServerOptions serverOptions() {
        return serverOptions(ServerLimits.defaults());
    }

    /**
     * HTTP server options for a gateway: the decoder refuses heads over {@code limits} (answered
     * with the error model by {@link ConnectionGuard}), so a client cannot make it buffer more; an
     * idle connection is closed; WebSocket limits at least as large as the pools'.
     */
    public static HttpServerOptions serverOptions(ServerLimits limits) {
        return new HttpServerOptions().setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxInitialLineLength(limits.maxRequestLineBytes())
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // HTTP/1.1 only: with cleartext HTTP/2 on, a connection is not handed to the guard
                // until its first bytes tell the versions apart, so a silent one would escape the cap.
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(UpstreamPoolOptions.DEFAULT_WS_MAX_FRAME_BYTES)
                .setMaxWebSocketMessageSize(UpstreamPoolOptions.DEFAULT_WS_MAX_MESSAGE_BYTES)
                .setCompressionSupported(false).setTcpNoDelay(true);
    }

    /**
     * An HTTP server with the gateway's limits, serving {@code handler} behind {@code guard}; share one
     * guard among the servers of one gateway so the connection cap is theirs together.
     */
    public static HttpServer createServer(Vertx vertx, ServerLimits limits, ConnectionGuard guard,
                                          Handler<HttpServerRequest> handler) {
        return guard.install(vertx.createHttpServer(serverOptions(limits)), handler);
    }

    public void mount(Router router) {
        gateway.mount(router);
    }

    public ApiGateway gateway() {
        return gateway;
    }

    public Tracing tracing() {
        return tracing;
    }

    /** Whether every configured upstream pool has a usable instance. */
    public boolean upstreamsAvailable() {
        return upstreams.available();
    }

    /** Closes pools and stores; flushes spans (on a worker thread, since flushing blocks). */
    public Future<Void> close(Vertx vertx) {
        return upstreams.close().eventually(gateway::close)
                .eventually(() -> vertx.executeBlocking(() -> {
                    tracing.close();
                    return null;
                }, false)).mapEmpty();
    }
}
