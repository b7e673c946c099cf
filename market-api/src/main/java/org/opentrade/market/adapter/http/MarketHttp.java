package org.opentrade.market.adapter.http;

import io.opentelemetry.api.trace.Span;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.market.domain.MarketError;

/**
 * The one place market-api maps outcomes to HTTP: status per {@link MarketError}, bodies in the error
 * model, {@code X-Trace-Id} on every response. Event loop; never blocks.
 */
public final class MarketHttp {
    private static final Logger LOG = Logger.getLogger(MarketHttp.class.getName());
    static final String TRACE_ID = "traceId";
    static final String SPAN = "span";

    private MarketHttp() {
    }

    public static int status(MarketError e) {
        return switch (e) {
            case UNKNOWN_SYMBOL, NOT_FOUND -> 404;
            case IDENTITY_MISSING, ADMIN_REQUIRED -> 401;
            case METHOD_NOT_ALLOWED -> 405;
            case BODY_TOO_LARGE -> 413;
            case SUBSCRIPTION_LIMIT -> 429;
            case HISTORY_UNAVAILABLE, NOT_READY -> 503;
            case INTERNAL -> 500;
            default -> 400;
        };
    }

    static String traceId(RoutingContext ctx) {
        String id = ctx.get(TRACE_ID);
        return id == null ? org.opentrade.common.error.TraceIds.random() : id;
    }

    public static void ok(RoutingContext ctx, JsonObject body) {
        ok(ctx, 200, body);
    }

    public static void ok(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Trace-Id", traceId(ctx)).end(body.toBuffer());
    }

    /** A 200 with a body already encoded as JSON. */
    public static void ok(RoutingContext ctx, io.vertx.core.buffer.Buffer json) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Trace-Id", traceId(ctx)).end(json);
    }

    /**
     * A 200 with the body {@code json} holds: copied into a pooled direct buffer that is released when the
     * write completes (Vert.x hands Netty an unreleasable view of it), so the writer can be reused at once.
     */
    public static void ok(RoutingContext ctx, JsonBytes json) {
        if (ctx.response().ended()) {
            return;
        }
        io.netty.buffer.ByteBuf body = json.toPooledDirect();
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Trace-Id", traceId(ctx))
                .end(io.vertx.core.internal.buffer.BufferInternal.buffer(body))
                .onComplete(ar -> body.release());
    }

    public static void fail(RoutingContext ctx, MarketError error, String message) {
        if (ctx.response().ended()) {
            return;
        }
        Span span = ctx.get(SPAN);
        if (span != null) {
            span.setAttribute("opentrade.error_no", error.errorNo());
        }
        String traceId = traceId(ctx);
        ctx.response().setStatusCode(status(error)).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Trace-Id", traceId)
                .end(new ErrorBody(message, error.errorNo(), traceId).toJson());
    }

    /** A 503 that will pass: {@link #fail} with {@code Retry-After} (docs/contracts.md, error model). */
    public static void retryLater(RoutingContext ctx, MarketError error, String message, int seconds) {
        if (!ctx.response().ended()) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(seconds));
        }
        fail(ctx, error, message);
    }

    /** An unexpected failure: logged once with the trace id, answered -9000 without details. */
    public static void internal(RoutingContext ctx, Throwable t) {
        String traceId = traceId(ctx);
        LOG.log(Level.SEVERE, "trace " + traceId + ": " + ctx.request().method() + " " + ctx.request().path(), t);
        fail(ctx, MarketError.INTERNAL, "internal error; quote trace id " + traceId + " when reporting it");
    }
}
