package org.opentrade.exchange.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Business outcomes of the engine, never exceptions. Codes follow the ranges of docs/errors.md:
 * -4xxx orders and risk, -5xxx matching and exchange. They are mapped to HTTP and FIX at the edges.
 */
public enum ResultCode {
    OK(0, "ok"),

    QTY_NOT_POSITIVE(-4001, "quantity must be a positive integer"),
    QTY_TOO_LARGE(-4002, "quantity exceeds the maximum order size"),
    PRICE_INVALID(-4003, "limit price must be positive with at most 2 decimal places"),
    STOP_PRICE_INVALID(-4004, "stop price must be positive with at most 2 decimal places"),
    TIF_NOT_ALLOWED(-4005, "time in force not allowed for this order type or session phase"),
    DUPLICATE_ORDER_ID(-4006, "order id is already in use"),
    UNKNOWN_ORDER(-4007, "unknown or no longer live order id"),
    REPLACE_QTY_NOT_ABOVE_FILLED(-4008, "replace quantity must exceed the quantity already filled"),
    ORDER_NOT_REPLACEABLE(-4009, "untriggered stop orders cannot be replaced; cancel and re-enter"),
    MALFORMED_COMMAND(-4010, "malformed command: a required field is missing or unreadable"),

    UNKNOWN_SYMBOL(-5001, "unknown instrument symbol"),
    PRICE_NOT_ON_TICK(-5002, "price is not a multiple of the tick size"),
    QTY_NOT_BOARD_LOT(-5003, "buy quantity must be a multiple of the board lot"),
    PRICE_OUTSIDE_BAND(-5004, "price is outside the daily price band"),
    MARKET_CLOSED(-5005, "the market is closed for this instruction"),
    ORDER_TYPE_NOT_ALLOWED(-5006, "order type not accepted in the current session phase"),
    ENGINE_OVERLOADED(-5007, "exchange shard is overloaded; retry later"),
    ENGINE_UNAVAILABLE(-5008, "exchange is not running"),
    JOURNAL_FAILURE(-5009, "the command could not be made durable"),
    EVENTS_NOT_RETAINED(-5010, "the requested events are no longer kept; start from a snapshot"),
    BAD_FEED_REQUEST(-5011, "malformed feed request: a required field is missing or unreadable");

    private final int code;
    private final String message;

    ResultCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The negative error number of the error model (docs/errors.md). */
    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public boolean isOk() {
        return this == OK;
    }

    /** Looks a code up by its number; null when the number is unknown. */
    public static ResultCode ofCode(int code) {
        return BY_CODE.get(code);
    }

    /** Decoding every event looks its code up: a map, not a scan of {@code values()}. */
    private static final Map<Integer, ResultCode> BY_CODE = byCode();

    private static Map<Integer, ResultCode> byCode() {
        Map<Integer, ResultCode> m = new HashMap<>();
        for (ResultCode c : values()) {
            m.put(c.code, c);
        }
        return Map.copyOf(m);
    }
}
