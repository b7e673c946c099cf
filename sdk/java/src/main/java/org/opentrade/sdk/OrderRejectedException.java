package org.opentrade.sdk;

import java.time.Duration;

/** An order refused by trade-api's rules or the order's state (-4xxx); the body carries the order as {@code order} when the refusal is about an existing one. */
public class OrderRejectedException extends OpenTradeException {
    OrderRejectedException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
