package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.TraceIds;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.common.logging.LogBudget;
import org.opentrade.gateway.domain.GatewayError;

/**
 * The one place that maps failures to responses: a {@link Rejection} to its error, a store failure to
 * -9003, anything else to -9000 (logged once with the trace id); a gateway error to its HTTP status;
 * and the one writer of the error model, as an HTTP body, as a WebSocket error frame with its close
 * reason, or on a connection about to be closed. Filters and handlers fail the request
 * ({@code ctx.fail(rejection)}); the router's failure handler ({@link #failure}) answers it here.
 * Called on the event loop; never blocks.
 */
public final class HttpErrors {
    private static final Logger LOG = Logger.getLogger(HttpErrors.class.getName());
    public static final String TRACE_HEADER = "X-Trace-Id";
    /** {@link #TRACE_HEADER} with its hash computed once, for the header every answer carries. */
    public static final CharSequence TRACE_HEADER_NAME = io.vertx.core.http.HttpHeaders.createOptimized(TRACE_HEADER);
    /** Routes that take API keys (secret or signed) and sessions: the API and metering routes. */
    public static final String API_CHALLENGE = Access.KEY_OR_SESSION.challenge();
    /** Routes that take sessions only (key management, the developer's own record, log-in). */
    public static final String SESSION_CHALLENGE = Access.SESSION.challenge();
    /** Admin routes ({@code X-Admin-Token}). */
    public static final String ADMIN_CHALLENGE = Access.ADMIN.challenge();
    /**
     * Lines of "store unreachable" per {@link #STORE_FAILURE_WINDOW_MILLIS}, then a count of those left out. While
     * the store is down every request that needs it fails, at the callers' pace: a made-up well-formed key id is
     * looked up in the store each time, so anyone could write a line per request (thousands a second) to the
     * log, filling the disk during the outage.
     */
    static final int STORE_FAILURE_LINES = 20;
    static final long STORE_FAILURE_WINDOW_MILLIS = 10_000;
    private static final LogBudget STORE_FAILURES_LOGGED = new LogBudget(STORE_FAILURE_LINES,
            STORE_FAILURE_WINDOW_MILLIS, System::currentTimeMillis);
    /** WebSocket close code for a refused or ended stream. */
    static final short POLICY_VIOLATION = 1008;

    private HttpErrors() {
    }

    /** The HTTP status for an error. */
    public static int status(GatewayError error) {
        return switch (error) {
            case MALFORMED_REQUEST, INVALID_PARAMETER, BAD_HEADER, UNKNOWN_PLAN, RESET_TOKEN_INVALID -> 400;
            case BODY_TOO_LARGE -> 413;
            case HEADERS_TOO_LARGE -> 431;
            case URI_TOO_LONG -> 414;
            case REQUEST_TIMEOUT -> 408;
            case HTTP_VERSION_NOT_SUPPORTED -> 505;
            case MISDIRECTED_REQUEST -> 421;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case CREDENTIALS_MISSING, KEY_UNKNOWN, SECRET_WRONG, KEY_REVOKED, KEY_EXPIRED, SIGNATURE_INVALID,
                 TIMESTAMP_OUT_OF_WINDOW, SIGNATURE_REPLAYED, SESSION_EXPIRED, SESSION_INVALID, LOGIN_FAILED,
                 ADMIN_REQUIRED, ASSERTION_INVALID -> 401;
            case SCOPE_MISSING, IP_NOT_ALLOWED, DEVELOPER_SUSPENDED, KEY_KILLED, WRONG_KEY_TYPE,
                 PLAN_ABOVE_DEVELOPER, PASSWORD_WRONG -> 403;
            case EMAIL_TAKEN, KEY_QUOTA_REACHED, STREAM_QUOTA_REACHED -> 409;
            case RATE_LIMITED, ORDER_RATE_LIMITED -> 429;
            case LIMITER_UNAVAILABLE, UPSTREAM_UNAVAILABLE, STORE_UNAVAILABLE, OVERLOADED -> 503;
            case UPSTREAM_TIMEOUT -> 504;
            case INTERNAL -> 500;
        };
    }

    /**
     * The router's failure handler: a handler threw, a filter failed the request, a BodyHandler
     * failed, or the request could not be decoded. Failures that carry a 4xx status, and failures
     * while the request was still being read (broken chunking, missing Host), are the client's: 400
     * family. Anything else goes to {@link #fail}.
     */
    public static void failure(RoutingContext ctx) {
        Throwable err = ctx.failure();
        if (err instanceof Rejection || err instanceof Async.StoreFailure || err instanceof Async.Unexpected) {
            fail(ctx, err); // failed by the gateway's own filters and handlers (Async.fail)
            return;
        }
        int status = ctx.statusCode();
        if (err instanceof io.vertx.ext.web.handler.HttpException he) {
            status = he.getStatusCode();
        }
        if (err == null || (status >= 400 && status < 500)) {
            GatewayError error = forStatus(status);
            // A 400 of Vert.x's own is about the request, not a body: the error's default says "not valid JSON".
            send(ctx, error, status == 400 ? malformed(ctx.request()) : error.message());
            return;
        }
        if (!ctx.request().isEnded()) {
            sendAndClose(ctx.request(), GatewayError.MALFORMED_REQUEST, "the request could not be read: malformed HTTP");
            return;
        }
        fail(ctx, err);
    }

    /**
     * Answers a failed request: a {@link Rejection} with its error, a store failure -9003, anything
     * else logged once with the trace id and answered -9000, never with its message or stack trace.
     */
    public static void fail(RoutingContext ctx, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof Rejection r) {
            send(ctx, r.error(), r.getMessage());
            return;
        }
        if (e instanceof Async.StoreFailure) {
            LogBudget.Admission a = STORE_FAILURES_LOGGED.admit();
            if (a.leftOutBefore() > 0) {
                LOG.warning(STORE_FAILURES_LOGGED.leftOutText(a.leftOutBefore(), "store unreachable"));
            }
            if (a.allowed()) {
                LOG.warning("store unreachable, trace " + traceId(ctx) + ": " + e.getCause());
            }
            send(ctx, GatewayError.STORE_UNAVAILABLE);
            return;
        }
        LOG.log(Level.SEVERE, "request failed, trace " + traceId(ctx), e instanceof Async.Unexpected ? e.getCause() : e);
        send(ctx, GatewayError.INTERNAL);
    }

    /** What is wrong with a request Vert.x refused with a bare 400. */
    static String malformed(io.vertx.core.http.HttpServerRequest request) {
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_1_1 && request.getHeader("Host") == null) {
            return "the request has no Host header, which HTTP/1.1 requires";
        }
        return "malformed request";
    }

    /** The error of a failure that carries only an HTTP status (Vert.x Web's own refusals). */
    static GatewayError forStatus(int status) {
        return switch (status) {
            case 413 -> GatewayError.BODY_TOO_LARGE;
            case 404 -> GatewayError.NOT_FOUND;
            case 405 -> GatewayError.METHOD_NOT_ALLOWED;
            case 415 -> GatewayError.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> GatewayError.BAD_HEADER;
            case 401 -> GatewayError.CREDENTIALS_MISSING;
            case 400 -> GatewayError.MALFORMED_REQUEST;
            default -> status >= 400 && status < 500 ? GatewayError.INVALID_PARAMETER : GatewayError.INTERNAL;
        };
    }

    /** Answers with the error's default message. */
    public static void send(RoutingContext ctx, GatewayError error) {
        send(ctx, error, error.message());
    }

    /** Answers with a specific message (no secrets, no stack traces). */
    public static void send(RoutingContext ctx, GatewayError error, String message) {
        sendRaw(ctx, status(error), error.code(), message);
    }

    /** Answers with any status and error number (e.g. one relayed from an upstream). */
    public static void sendRaw(RoutingContext ctx, int status, int errorNo, String message) {
        ServerWebSocket upgraded = ctx.get(RequestKeys.UPGRADED_SOCKET);
        if (upgraded != null) {
            // A WebSocket upgraded before authentication (first-frame auth): no HTTP answer is left,
            // the error goes as an error frame and the close reason (metered with the status it stands for).
            AnswerEnd.upgraded(ctx, status, true);
            closeWebSocket(upgraded, errorNo, message, traceId(ctx));
            return;
        }
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        String traceId = traceId(ctx);
        if (status == 401 && !response.headers().contains("WWW-Authenticate")) {
            GatewayRoute route = ctx.get(RequestKeys.GATEWAY_ROUTE);
            response.putHeader("WWW-Authenticate", route != null ? route.access().challenge()
                    : challenge(ctx.request().path()));
        }
        response.setStatusCode(status).putHeader(TRACE_HEADER, traceId)
                .putHeader("Content-Type", "application/json")
                .end(new ErrorBody(message, errorNo, traceId).toJson());
    }

    /**
     * Answers a request outside the router (a head Netty could not decode, a request not read in
     * time) and closes the connection, since the rest of its byte stream cannot be trusted. Keeps
     * the trace id the tracing filter already put on the response, if any.
     */
    public static void sendAndClose(HttpServerRequest request, GatewayError error, String message) {
        HttpServerResponse response = request.response();
        HttpConnection connection = request.connection();
        if (response.ended() || response.closed() || response.headWritten()) {
            connection.close();
            return;
        }
        String traceId = response.headers().get(TRACE_HEADER);
        if (traceId == null) {
            traceId = TraceIds.random();
        }
        response.setStatusCode(status(error)).putHeader(TRACE_HEADER, traceId)
                .putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(new ErrorBody(message, error.code(), traceId).toJson())
                .onComplete(done -> connection.close());
        flush(connection);
    }

    /**
     * Pushes what is written out now. Vert.x holds writes made while it reads until the read ends,
     * and a decoder failure in a body (bad chunked encoding) closes the channel before then, which
     * would drop the answer unsent. Vert.x has no public flush, hence its server connection type.
     */
    private static void flush(HttpConnection connection) {
        if (connection instanceof io.vertx.core.http.impl.HttpServerConnection server) {
            server.channelHandlerContext().flush();
        }
    }

    /**
     * Sends the error model as an error frame ({@code {"type":"error",...}}) and closes the socket
     * 1008 with the error model as the reason; when that is over the 123 bytes a close reason may
     * have, the reason is {@code {"error_no":N}} (the frame has the rest). No-op on a closed socket.
     */
    public static void closeWebSocket(ServerWebSocket ws, int errorNo, String message, String traceId) {
        if (ws.isClosed()) {
            return;
        }
        ws.writeTextMessage(new JsonObject().put("type", "error").put("error", message).put("error_no", errorNo)
                .put("trace_id", traceId).encode());
        ws.close(POLICY_VIOLATION, new ErrorBody(message, errorNo, traceId).toCloseReason());
    }

    /**
     * The {@code WWW-Authenticate} of a 401 on {@code path} outside any gateway route: the schemes that route accepts. A 401
     * must name them (RFC 9110 §11.6.1); {@code ApiKey} stands for the {@code X-API-Key} headers
     * (with {@code X-API-Secret}, or signed), {@code AdminToken} for {@code X-Admin-Token}.
     */
    static String challenge(String path) {
        String p = path == null ? "" : path;
        if (p.equals("/v1/admin") || p.startsWith("/v1/admin/") || p.equals("/metrics")) {
            return ADMIN_CHALLENGE;
        }
        if (p.equals("/v1/keys") || p.startsWith("/v1/keys/") || p.equals("/v1/developers/me")
                || p.equals("/v1/sessions") || p.equals("/v1/developers")) {
            return SESSION_CHALLENGE;
        }
        return API_CHALLENGE;
    }

    /** The request's trace id; creates one when the tracing filter has not run. */
    public static String traceId(RoutingContext ctx) {
        String id = ctx.get(RequestKeys.TRACE_ID);
        if (id == null) {
            id = TraceIds.random();
            ctx.put(RequestKeys.TRACE_ID, id);
        }
        return id;
    }
}
