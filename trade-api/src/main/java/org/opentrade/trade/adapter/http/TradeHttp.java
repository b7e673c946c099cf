package org.opentrade.trade.adapter.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.TraceIds;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.trade.domain.TradeError;

/**
 * The one place trade-api maps outcomes to HTTP: a status per {@link TradeError} and per exchange
 * {@link ResultCode}, bodies in the error model, {@code X-Trace-Id} on every response. Event loop;
 * never blocks.
 */
public final class TradeHttp {
    private static final Logger LOG = Logger.getLogger(TradeHttp.class.getName());
    static final String TRACE_ID = "traceId";
    static final String SPAN = "span";
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence X_TRACE_ID = HttpHeaders.createOptimized("X-Trace-Id");

    private TradeHttp() {
    }

    public static int status(TradeError e) {
        return switch (e) {
            case UNKNOWN_ORDER, NOT_FOUND, NO_POSITION -> 404;
            case IDENTITY_MISSING, ADMIN_REQUIRED -> 401;
            case METHOD_NOT_ALLOWED -> 405;
            case BODY_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case CLIENT_ORDER_ID_CONFLICT, IDEMPOTENCY_KEY_CONFLICT, ORDER_NOT_OPEN -> 409;
            case ORDER_RATE_EXCEEDED -> 429;
            case KILL_SWITCH_ACTIVE -> 403;
            case NOT_READY -> 503;
            case STATUS_UNKNOWN -> 504;
            case INTERNAL -> 500;
            default -> 422;
        };
    }

    /** An exchange rejection: order faults are the caller's (422), exchange trouble is ours (503). */
    public static int status(ResultCode code) {
        return switch (code) {
            case ENGINE_OVERLOADED, ENGINE_UNAVAILABLE, JOURNAL_FAILURE -> 503;
            case UNKNOWN_ORDER -> 409;
            default -> 422;
        };
    }

    static String traceId(RoutingContext ctx) {
        String id = ctx.get(TRACE_ID);
        return id == null ? TraceIds.random() : id;
    }

    public static void ok(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ok(ctx, status, JsonBytes.toBuffer(body));
    }

    /** A body already encoded (e.g. {@link org.opentrade.trade.adapter.json.TradeJson#orderBuffer}). */
    public static void ok(RoutingContext ctx, int status, Buffer body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .putHeader(X_TRACE_ID, traceId(ctx)).end(body);
    }

    public static void fail(RoutingContext ctx, TradeError error, String message) {
        fail(ctx, status(error), error.errorNo(), message, null);
    }

    /** An error body with extra fields (e.g. the order whose status is unknown and where to look). */
    public static void fail(RoutingContext ctx, int status, int errorNo, String message, JsonObject extra) {
        if (ctx.response().ended()) {
            return;
        }
        String traceId = traceId(ctx);
        String body = new ErrorBody(message, errorNo, traceId).toJson();
        if (extra != null) {
            JsonObject j = new JsonObject(body);
            extra.forEach(e -> j.put(e.getKey(), e.getValue()));
            body = j.encode();
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Trace-Id", traceId).end(body);
    }

    /** An unexpected failure: logged once with the trace id, answered -9000 without details. */
    public static void internal(RoutingContext ctx, Throwable t) {
        String traceId = traceId(ctx);
        LOG.log(Level.SEVERE, "trace " + traceId + ": " + ctx.request().method() + " " + ctx.request().path(), t);
        fail(ctx, TradeError.INTERNAL, "internal error; quote trace id " + traceId + " when reporting it");
    }
}
