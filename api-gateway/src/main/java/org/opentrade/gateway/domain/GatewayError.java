package org.opentrade.gateway.domain;

import org.opentrade.common.error.ErrorCode;

/**
 * Every outcome the gateway refuses a request with, numbered in the ranges of docs/errors.md: -1xxx request
 * validation, -2xxx authentication and keys, -3xxx rate limits and quotas, -9xxx internal. The numbers
 * every service shares are {@link ErrorCode}'s (number and message defined there once); the rest are
 * the gateway's own. Each authentication failure has its own number so a client (and its operator)
 * can tell "revoked" from "expired" from "wrong IP" without guessing. HTTP statuses are mapped in
 * {@code adapter/http} only.
 */
public enum GatewayError {
    MALFORMED_REQUEST(ErrorCode.MALFORMED_REQUEST),
    INVALID_PARAMETER(ErrorCode.INVALID_PARAMETER),
    BODY_TOO_LARGE(ErrorCode.BODY_TOO_LARGE),
    NOT_FOUND(ErrorCode.NOT_FOUND),
    METHOD_NOT_ALLOWED(ErrorCode.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE(ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    BAD_HEADER(ErrorCode.BAD_HEADER),
    UNKNOWN_PLAN(-1008, "no such plan"),
    HEADERS_TOO_LARGE(-1009, "the request headers are too large"),
    URI_TOO_LONG(-1010, "the request line is too long"),
    REQUEST_TIMEOUT(-1011, "the request was not received in time"),
    HTTP_VERSION_NOT_SUPPORTED(-1012, "this HTTP version is not supported; use HTTP/1.1"),
    /**
     * The {@code Host} names a host this server does not answer for: a loopback-bound server answers loopback
     * names and {@code gateway.allowed_hosts} only (DNS rebinding, see {@code HostGuard}).
     */
    MISDIRECTED_REQUEST(-1013, "this server does not answer for the host named in the Host header"),

    CREDENTIALS_MISSING(-2001, "no credentials: send X-API-Key with X-API-Secret or X-Signature, or Authorization: Bearer"),
    KEY_UNKNOWN(-2002, "unknown API key"),
    SECRET_WRONG(-2003, "wrong API secret for this key"),
    KEY_REVOKED(-2004, "this API key has been revoked"),
    KEY_EXPIRED(-2005, "this API key has expired"),
    SCOPE_MISSING(-2006, "this API key lacks the scope this endpoint needs"),
    IP_NOT_ALLOWED(-2007, "the client address is not in this key's allow-list"),
    SIGNATURE_INVALID(-2008, "the request signature does not verify"),
    TIMESTAMP_OUT_OF_WINDOW(-2009, "X-Timestamp is missing or outside the accepted window"),
    SIGNATURE_REPLAYED(-2010, "this signature has already been used"),
    SESSION_EXPIRED(-2011, "the session token has expired; log in again"),
    SESSION_INVALID(-2012, "the session token is not valid"),
    LOGIN_FAILED(-2013, "wrong email or password"),
    EMAIL_TAKEN(-2014, "a developer with this email already exists"),
    DEVELOPER_SUSPENDED(-2015, "this developer account is suspended"),
    KEY_KILLED(-2016, "this API key was disabled by an administrator"),
    ADMIN_REQUIRED(-2017, "a valid admin credential is required"),
    KEY_QUOTA_REACHED(-2018, "the plan's maximum number of API keys is reached"),
    WRONG_KEY_TYPE(-2019, "this operation does not apply to this key type"),
    PLAN_ABOVE_DEVELOPER(-2020, "a key's plan cannot be higher than its developer's plan"),
    /**
     * Answered by upstream services (market-api, trade-api), never by the gateway: a request that
     * did not come through a gateway (no valid signed identity assertion). Listed here so the
     * number is not given to anything else; the services use {@code IdentityAssertions.ERROR_NO}.
     */
    ASSERTION_INVALID(-2021, "no valid gateway identity assertion: call through the gateway"),
    PASSWORD_WRONG(-2022, "the current password is wrong"),
    RESET_TOKEN_INVALID(-2023, "the password-reset token is not valid, has expired or was already used"),

    RATE_LIMITED(-3001, "rate limit exceeded; retry after the time in Retry-After"),
    ORDER_RATE_LIMITED(-3002, "order rate limit for this symbol exceeded; retry after the time in Retry-After"),
    LIMITER_UNAVAILABLE(-3003, "the shared rate limiter is unreachable; orders are refused until it returns (cancels still pass)"),
    STREAM_QUOTA_REACHED(-3004, "the developer's maximum of open streams on this gateway is reached; close one first"),

    INTERNAL(ErrorCode.INTERNAL),
    UPSTREAM_UNAVAILABLE(ErrorCode.UNAVAILABLE),
    UPSTREAM_TIMEOUT(ErrorCode.UPSTREAM_TIMEOUT),
    STORE_UNAVAILABLE(-9003, "the key store is unreachable; try again shortly"),
    /**
     * Load shed: the event loop or the upstream pool has its bound of requests in flight (503 with
     * {@code Retry-After}). Market data is shed before orders and cancels.
     */
    OVERLOADED(-9004, "the gateway is overloaded; retry after the time in Retry-After");

    private final int code;
    private final String message;

    GatewayError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** One of the numbers every service shares, with its number and message. */
    GatewayError(ErrorCode shared) {
        this(shared.code(), shared.message());
    }

    /** The {@code error_no} of the error model. */
    public int code() {
        return code;
    }

    /** The default human-readable message. */
    public String message() {
        return message;
    }
}
