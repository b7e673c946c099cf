package org.opentrade.common.error;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Objects;

/**
 * The one error model of docs/contracts.md (a contract), for every non-2xx HTTP body and every WebSocket
 * error frame: {@code {"error": "<message>", "error_no": <negative int>, "trace_id": "<32 hex>"}}.
 *
 * <p>{@code error_no} ranges: -1xxx request validation, -2xxx authentication and keys, -3xxx rate
 * limits and quotas, -4xxx orders and risk, -5xxx matching and exchange, -6xxx market data, -9xxx
 * internal. The message is for humans and never carries a stack trace or a secret.
 */
public record ErrorBody(String error, int errorNo, String traceId) {

    public ErrorBody {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(traceId, "traceId");
        if (errorNo >= 0) {
            throw new IllegalArgumentException("error_no must be negative, got " + errorNo);
        }
    }

    /** The most a WebSocket close frame's reason may hold (RFC 6455 §5.5: 125 bytes of payload, 2 for the code). */
    public static final int MAX_CLOSE_REASON_BYTES = 123;

    /**
     * This body as a WebSocket close reason: its JSON when that fits in {@link #MAX_CLOSE_REASON_BYTES} bytes,
     * else only {@code {"error_no":N}} (send the whole body first in an error frame, then). A close a server
     * chooses is read like any other error.
     */
    public String toCloseReason() {
        String json = toJson();
        return fits(json) ? json : "{\"error_no\":" + errorNo + "}";
    }

    /** Whether {@link #toJson()} fits in a close reason. */
    public boolean fitsCloseReason() {
        return fits(toJson());
    }

    private static boolean fits(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES;
    }

    /** The JSON text of this body; field order is error, error_no, trace_id. */
    public String toJson() {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        return "{\"error\":\"" + new String(enc.quoteAsString(error)) + "\",\"error_no\":" + errorNo
                + ",\"trace_id\":\"" + new String(enc.quoteAsString(traceId)) + "\"}";
    }
}
