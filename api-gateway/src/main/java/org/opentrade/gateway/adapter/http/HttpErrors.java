package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.TraceIds;
import org.opentrade.gateway.domain.GatewayError;

/**
 * The one place that maps gateway errors to HTTP statuses and writes the error model. Called on the
 * event loop; never blocks.
 */
public final class HttpErrors {
    public static final String TRACE_HEADER = "X-Trace-Id";
    /** Routes that take API keys (secret or signed) and sessions: the API and metering routes. */
    public static final String API_CHALLENGE = "Bearer realm=\"opentrade\", ApiKey realm=\"opentrade\"";
    /** Routes that take sessions only (key management, the developer's own record, log-in). */
    public static final String SESSION_CHALLENGE = "Bearer realm=\"opentrade\"";
    /** Admin routes ({@code X-Admin-Token}). */
    public static final String ADMIN_CHALLENGE = "AdminToken realm=\"opentrade\"";

    private HttpErrors() {
    }

    /** The HTTP status for an error. */
    public static int status(GatewayError error) {
        return switch (error) {
            case MALFORMED_REQUEST, INVALID_PARAMETER, BAD_HEADER, UNKNOWN_PLAN -> 400;
            case BODY_TOO_LARGE -> 413;
            case HEADERS_TOO_LARGE -> 431;
            case URI_TOO_LONG -> 414;
            case REQUEST_TIMEOUT -> 408;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case CREDENTIALS_MISSING, KEY_UNKNOWN, SECRET_WRONG, KEY_REVOKED, KEY_EXPIRED, SIGNATURE_INVALID,
                 TIMESTAMP_OUT_OF_WINDOW, SIGNATURE_REPLAYED, SESSION_EXPIRED, SESSION_INVALID, LOGIN_FAILED,
                 ADMIN_REQUIRED, ASSERTION_INVALID -> 401;
            case SCOPE_MISSING, IP_NOT_ALLOWED, DEVELOPER_SUSPENDED, KEY_KILLED, WRONG_KEY_TYPE,
                 PLAN_ABOVE_DEVELOPER -> 403;
            case EMAIL_TAKEN, KEY_QUOTA_REACHED -> 409;
            case RATE_LIMITED, ORDER_RATE_LIMITED -> 429;
            case LIMITER_UNAVAILABLE, UPSTREAM_UNAVAILABLE, STORE_UNAVAILABLE, OVERLOADED -> 503;
            case UPSTREAM_TIMEOUT -> 504;
            case INTERNAL -> 500;
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
        if (FirstFrameAuth.fail(ctx, errorNo, message)) {
            return; // a WebSocket upgraded before authentication: the error goes as an error frame
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
            response.putHeader("WWW-Authenticate", challenge(ctx.request().path()));
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
     * The {@code WWW-Authenticate} of a 401 on {@code path}: the schemes that route accepts. A 401
     * must name them (RFC 9110 §11.6.1); {@code ApiKey} stands for the {@code X-API-Key} headers
     * (with {@code X-API-Secret}, or signed), {@code AdminToken} for {@code X-Admin-Token}.
     */
    static String challenge(String path) {
        String p = path == null ? "" : path;
        if (p.equals("/v1/admin") || p.startsWith("/v1/admin/")) {
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
