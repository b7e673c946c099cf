package org.opentrade.exchange.client;

/**
 * The exchange's event-bus addresses. JSON field names are snake_case; prices are decimal strings
 * with two places ({@code "10.01"}); quantities, ids, sequence numbers and epoch-millisecond
 * timestamps are JSON integers. {@link ExchangeJson} is the one mapping of every shape.
 *
 * <h2>{@value #COMMANDS} — request-reply</h2>
 * Send a command, get its {@code CommandResult} back:
 * <pre>{@code
 * {"type": "NEW_ORDER", "order_id": 17, "account": "alice", "symbol": "600000.SH",
 *  "side": "BUY", "order_type": "LIMIT", "tif": "GTC", "price": "10.01", "qty": 100,
 *  "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
 * {"type": "CANCEL",  "order_id": 17, "account": "alice", "symbol": "600000.SH"}
 * {"type": "REPLACE", "order_id": 17, "account": "alice", "symbol": "600000.SH", "price": "10.02", "qty": 200}
 * }</pre>
 * {@code order_type} is LIMIT (default), MARKET, STOP or STOP_LIMIT; {@code tif} GTC (default), DAY,
 * IOC or FOK; {@code stop_price} is required for stops. The exchange stamps the time itself (any
 * {@code timestamp} field is ignored). The trace context comes from the {@code traceparent} field or,
 * failing that, a {@code traceparent} message header. Order ids from {@code 2^62} up are reserved for
 * the liquidity simulator.
 *
 * <p>The reply is always a result, never a failure:
 * <pre>{@code
 * {"code": 0, "result": "OK", "message": "ok", "journal_seq": 42,
 *  "events": [{"seq": 97, "type": "ACCEPTED", "order_id": 17, ...}, {"seq": 98, "type": "TRADE", ...}]}
 * }</pre>
 * A rejected command has a negative {@code code} (DESIGN.md ranges: -4xxx orders, -5xxx exchange)
 * and one REJECTED event; a body that cannot be read as a command gets code -4010
 * (MALFORMED_COMMAND) and a {@code message} naming the field.
 *
 * <h2>{@value #EVENTS} and {@value #EVENTS}{@code .<symbol>} — publish</h2>
 * Every event of every processed command, one message per event, in each shard's order, on both the
 * all-symbols address and the symbol's own ({@code opentrade.exchange.events.600000.SH}):
 * <pre>{@code
 * {"seq": 98, "type": "TRADE", "order_id": 18, "account": "bob", "counter_order_id": 17,
 *  "counter_account": "alice", "symbol": "600000.SH", "side": "SELL", "order_type": "LIMIT", "tif": "GTC",
 *  "price": "10.01", "qty": 100, "leaves_qty": 0, "filled_qty": 100, "counter_leaves_qty": 0,
 *  "result_code": 0, "timestamp": 1767225600000,
 *  "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
 * }</pre>
 * Absent values (no counterparty, market order price, no trace) are left out. Messages carry the
 * headers {@code symbol}, {@code type} and, when known, {@code traceparent}. {@code seq} is gap-free per
 * shard, not across shards.
 */
public final class ExchangeAddresses {
    /** Request-reply: command JSON in, result JSON out. */
    public static final String COMMANDS = "opentrade.exchange.commands";
    /** Publish: every event of every symbol. */
    public static final String EVENTS = "opentrade.exchange.events";
    /** Message header with the W3C trace context. */
    public static final String TRACEPARENT_HEADER = "traceparent";

    private ExchangeAddresses() {
    }

    /** Publish: the events of one symbol. */
    public static String events(String symbol) {
        return EVENTS + "." + symbol;
    }
}
