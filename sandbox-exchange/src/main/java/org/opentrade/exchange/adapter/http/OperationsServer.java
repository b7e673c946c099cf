package org.opentrade.exchange.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.ErrorCode;
import org.opentrade.common.error.TraceIds;

/**
 * The standalone exchange's operations endpoints (docs/contracts.md, API map) on a small HTTP server
 * of their own: {@code GET /health} (the process answers), {@code GET /ready} (200 once {@code ready}
 * says so, else 503 -9001 with {@code notReady} as the message) and {@code GET /metrics} (Prometheus
 * text). Any other path is 404 -1004, another method 405 -1005; every answer carries
 * {@code X-Trace-Id} (the caller's W3C trace id, else a new one) and errors use the error model.
 *
 * <p>Plain Vert.x core, no router: three fixed paths do not need one, and the exchange module stays
 * free of vertx-web. Handlers run on the event loop and never block: {@code ready} and
 * {@code metricsText} must read values kept current elsewhere.
 */
public final class OperationsServer {
    /** Prometheus text exposition format 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final BooleanSupplier ready;
    private final String notReady;
    private final Supplier<String> metricsText;

    private OperationsServer(BooleanSupplier ready, String notReady, Supplier<String> metricsText) {
        this.ready = ready;
        this.notReady = notReady;
        this.metricsText = metricsText;
    }

    /** Starts listening on {@code host:port} (0: a free port, see {@link HttpServer#actualPort()}). */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, BooleanSupplier ready, String notReady,
                                           Supplier<String> metricsText) {
        OperationsServer ops = new OperationsServer(ready, notReady, metricsText);
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60)
                        .setMaxHeaderSize(8192).setMaxInitialLineLength(4096).setCompressionSupported(false))
                .requestHandler(ops::handle).listen();
    }

    private void handle(HttpServerRequest request) {
        String traceId = TraceIds.from(request.getHeader("traceparent"));
        request.response().putHeader("X-Trace-Id", traceId);
        String path = request.path();
        boolean known = "/health".equals(path) || "/ready".equals(path) || "/metrics".equals(path);
        if (!known) {
            error(request, 404, ErrorCode.NOT_FOUND, "no such endpoint: " + printable(path), traceId);
        } else if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            error(request, 405, ErrorCode.METHOD_NOT_ALLOWED, "method " + request.method() + " not allowed on " + path,
                    traceId);
        } else if ("/health".equals(path)) {
            request.response().putHeader("Content-Type", JSON).end("{\"status\":\"UP\"}");
        } else if ("/ready".equals(path)) {
            if (ready.getAsBoolean()) {
                request.response().putHeader("Content-Type", JSON).end("{\"status\":\"READY\"}");
            } else {
                error(request, 503, ErrorCode.UNAVAILABLE, notReady, traceId);
            }
        } else {
            request.response().putHeader("Content-Type", METRICS_CONTENT_TYPE).end(metricsText.get());
        }
    }

    private static void error(HttpServerRequest request, int status, ErrorCode code, String message, String traceId) {
        request.response().setStatusCode(status).putHeader("Content-Type", JSON)
                .end(new ErrorBody(message, code.code(), traceId).toJson());
    }

    /** The path as echoed in a message: at most 200 characters, controls replaced. */
    private static String printable(String path) {
        String p = path == null ? "" : path.length() > 200 ? path.substring(0, 200) + "..." : path;
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            sb.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
        }
        return sb.toString();
    }
}
