package org.opentrade.sdk;

import java.time.Duration;

/** Credentials refused (-2xxx): a wrong secret or signature, a revoked, killed or expired key, an expired session. */
public class AuthenticationException extends OpenTradeException {
    AuthenticationException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
