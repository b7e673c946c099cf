package org.opentrade.exchange.model;

/**
 * One instruction to the engine. Time travels inside the command ({@code timestamp}, epoch
 * milliseconds, read at the edge), so replaying a journal of commands reproduces the same state.
 * The trace context ({@code traceParent}, a W3C traceparent or null) rides along untouched and is
 * copied onto every event the command causes.
 *
 * <p>Fields a command type does not use are null or zero: a CANCEL carries only its order id, the
 * symbol (for shard routing) and time; a REPLACE adds {@code price} and {@code qty} (the new total
 * quantity); a TIME_TICK carries only time.
 */
public record Command(
        CommandType type,
        long orderId,
        String account,
        String symbol,
        Side side,
        OrderType orderType,
        TimeInForce tif,
        long price,
        long stopPrice,
        long qty,
        long timestamp,
        String traceParent) {

    public static Command newOrder(long orderId, String account, String symbol, Side side, OrderType type,
                                   TimeInForce tif, long price, long stopPrice, long qty, long timestamp) {
        return new Command(CommandType.NEW_ORDER, orderId, account, symbol, side, type, tif, price, stopPrice,
                qty, timestamp, null);
    }

    public static Command limit(long orderId, String account, String symbol, Side side, TimeInForce tif,
                                long price, long qty, long timestamp) {
        return newOrder(orderId, account, symbol, side, OrderType.LIMIT, tif, price, Price.NONE, qty, timestamp);
    }

    public static Command market(long orderId, String account, String symbol, Side side, long qty, long timestamp) {
        return newOrder(orderId, account, symbol, side, OrderType.MARKET, TimeInForce.IOC, Price.NONE, Price.NONE,
                qty, timestamp);
    }

    public static Command cancel(long orderId, String symbol, long timestamp) {
        return new Command(CommandType.CANCEL, orderId, null, symbol, null, null, null, Price.NONE, Price.NONE, 0,
                timestamp, null);
    }

    public static Command replace(long orderId, String symbol, long newPrice, long newQty, long timestamp) {
        return new Command(CommandType.REPLACE, orderId, null, symbol, null, null, null, newPrice, Price.NONE, newQty,
                timestamp, null);
    }

    public static Command tick(long timestamp) {
        return new Command(CommandType.TIME_TICK, 0, null, null, null, null, null, Price.NONE, Price.NONE, 0,
                timestamp, null);
    }

    /** The same command with a trace context attached. */
    public Command withTraceParent(String traceParent) {
        return new Command(type, orderId, account, symbol, side, orderType, tif, price, stopPrice, qty, timestamp,
                traceParent);
    }
}
