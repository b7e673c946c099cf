package org.opentrade.sdk;

import java.time.Duration;

/** A market-data error (-6xxx): an unknown symbol, a bad interval or cursor, history unavailable. */
public class MarketDataException extends OpenTradeException {
    MarketDataException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
