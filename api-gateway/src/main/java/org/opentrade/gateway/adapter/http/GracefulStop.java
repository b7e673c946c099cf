package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The standalone gateway's graceful stop (SIGTERM), in the order a load balancer needs:
 * <ol>
 *   <li><b>Notice</b> ({@code gateway.shutdown_notice}): {@code /ready} answers 503, so health-checking
 *   balancers (and Kubernetes, whose endpoint removal lags the signal) stop sending here, while every
 *   request that still comes is served and answered with {@code Connection: close}, so its client opens
 *   its next connection elsewhere instead of reusing this one.</li>
 *   <li><b>Shutdown</b>: the listeners close (a new connection is refused, which a client or balancer may
 *   retry elsewhere: nothing was sent), idle connections are closed, each open stream gets
 *   Vert.x's shutdown signal (the WebSocket bridge closes it 1001 with the error model: reconnect and
 *   resume), and requests in flight are answered; then the connections close. At most
 *   {@code gateway.shutdown_grace} for this part; whatever is left then is closed.</li>
 * </ol>
 * Then the caller stops the rest (pools, stores, Vert.x). Thread-safe; {@link #run} waits on Vert.x
 * timers and futures, never blocking an event loop.
 */
public final class GracefulStop {
    private static final Logger LOG = Logger.getLogger(GracefulStop.class.getName());
    public static final Duration DEFAULT_NOTICE = Duration.ofSeconds(2);
    /** Above the upstream pools' default request timeout (5 s): a request in flight has its answer by then. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /**
     * @param notice how long the gateway keeps serving, not ready, before it stops accepting (zero: at once)
     * @param grace  how long the shutdown waits at most for requests in flight and streams to end
     */
    public record Options(Duration notice, Duration grace) {
        public Options {
            if (notice == null || grace == null || notice.isNegative() || grace.isNegative() || grace.isZero()) {
                throw new IllegalArgumentException("shutdown notice must be zero or positive and grace positive, got "
                        + notice + " and " + grace);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_NOTICE, DEFAULT_GRACE);
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    public GracefulStop(Vertx vertx, Options options) {
        this.vertx = vertx;
        this.options = options;
    }

    /** {@code handler} with {@code Connection: close} on every answer once the stop has begun. */
    public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> handler) {
        return req -> {
            if (stopping) {
                req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            }
            handler.handle(req);
        };
    }

    /** A listening server the stop shuts down. */
    public void add(HttpServer server) {
        servers.add(server);
    }

    /** Whether the stop has begun (then {@code /ready} answers 503). */
    public boolean stopping() {
        return stopping;
    }

    /** Runs the stop once; completes when every server has shut down. Never fails. */
    public Future<Void> run() {
        stopping = true;
        LOG.info("graceful stop: not ready, serving for " + options.notice().toMillis() + " ms more, then closing "
                + servers.size() + " listener(s) and waiting at most " + options.grace().toMillis() + " ms for requests"
                + " and streams to end");
        Future<Void> notice = options.notice().isZero() ? Future.succeededFuture()
                : vertx.timer(options.notice().toMillis(), TimeUnit.MILLISECONDS).mapEmpty();
        long signalled = System.nanoTime();
        return notice.compose(v -> {
            List<Future<Void>> shut = new ArrayList<>();
            for (HttpServer s : servers) {
                shut.add(s.shutdown(options.grace().toMillis(), TimeUnit.MILLISECONDS));
            }
            return Future.join(shut);
        }).<Void>transform(done -> {
            LOG.info("graceful stop: every connection ended, " + (System.nanoTime() - signalled) / 1_000_000
                    + " ms after the stop began");
            return Future.succeededFuture();
        });
    }
}
