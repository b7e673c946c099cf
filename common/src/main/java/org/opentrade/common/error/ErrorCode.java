package org.opentrade.common.error;

/**
 * The error numbers every service's edge uses the same way (docs/errors.md ranges: -1xxx request
 * validation, -9xxx internal), each with its default message: defined once here, used by the gateway
 * ({@code GatewayError} builds its shared numbers from these), the launcher's operations endpoints and
 * any service's edge. A subsystem adds its own numbers in its own ranges (the gateway's -2xxx and
 * -3xxx, orders' -4xxx, the exchange's -5xxx, market data's -6xxx) in its own domain type. Plain
 * Java with no dependencies, so a domain package may use it.
 */
public enum ErrorCode {
    /** The body is not valid JSON, or a field has the wrong type. */
    MALFORMED_REQUEST(-1001, "the request body is not valid JSON"),
    /** A required field or parameter is missing or out of range. */
    INVALID_PARAMETER(-1002, "a parameter is missing or invalid"),
    /** The request body is larger than the route allows. */
    BODY_TOO_LARGE(-1003, "the request body is too large"),
    /** No route for this path. */
    NOT_FOUND(-1004, "no such endpoint"),
    /** The path exists, the method does not. */
    METHOD_NOT_ALLOWED(-1005, "method not allowed on this endpoint"),
    /** The body's media type is not accepted (JSON expected). */
    UNSUPPORTED_MEDIA_TYPE(-1006, "the body must be application/json"),
    /** A header is malformed, repeated or too large. */
    BAD_HEADER(-1007, "a header is malformed"),
    /** An unexpected failure, logged once with the trace id. */
    INTERNAL(-9000, "internal error"),
    /** The service, or an upstream it needs, is not ready or not reachable. */
    UNAVAILABLE(-9001, "the service behind this endpoint is unavailable"),
    /** An upstream did not answer within the route's timeout. */
    UPSTREAM_TIMEOUT(-9002, "the service behind this endpoint did not answer in time");

    private final int code;
    private final String message;

    ErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
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
