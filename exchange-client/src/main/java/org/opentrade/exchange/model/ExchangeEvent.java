package org.opentrade.exchange.model;

/**
 * An immutable copy of one engine outcome, safe to hand to other threads and to serialise.
 *
 * <p>Fields by type: {@code orderId} is the order the event is about (the taker for TRADE);
 * {@code counterOrderId}/{@code counterAccount} the maker of a TRADE (0/null otherwise);
 * {@code price} the limit price, or the trade price for TRADE; {@code qty} the order quantity
 * (ACCEPTED, REPLACED), the traded quantity (TRADE) or the quantity taken off (CANCELED, EXPIRED);
 * {@code leavesQty}/{@code filledQty} the order's state after the event; for TRADE
 * {@code counterLeavesQty} is the maker's remaining quantity. REJECTED carries the
 * {@code resultCode}; every other event {@link ResultCode#OK}.
 *
 * @param seq         position in the shard's event stream, gap-free from 1
 * @param shard       the exchange shard whose stream this is ({@code seq} is per shard)
 * @param timestamp   time of the command that caused it (epoch ms)
 * @param traceParent trace context of the command that caused it (W3C traceparent) or null
 */
public record ExchangeEvent(
        long seq,
        int shard,
        EventType type,
        long orderId,
        String account,
        long counterOrderId,
        String counterAccount,
        String symbol,
        Side side,
        OrderType orderType,
        TimeInForce tif,
        long price,
        long qty,
        long leavesQty,
        long filledQty,
        long counterLeavesQty,
        ResultCode resultCode,
        long timestamp,
        String traceParent) {

    /** The REJECTED event of a command (which may be null when nothing could be read). */
    public static ExchangeEvent rejected(long seq, Command c, ResultCode code) {
        if (c == null) {
            return new ExchangeEvent(seq, 0, EventType.REJECTED, 0, null, 0, null, null, null, null, null, 0, 0, 0, 0, 0,
                    code, 0, null);
        }
        return new ExchangeEvent(seq, 0, EventType.REJECTED, c.orderId(), c.account(), 0, null, c.symbol(), c.side(),
                c.orderType(), c.tif(), c.price(), c.qty(), 0, 0, 0, code, c.timestamp(), c.traceParent());
    }

    /** The same event as seen on {@code shardId}'s stream. */
    public ExchangeEvent onShard(int shardId) {
        return new ExchangeEvent(seq, shardId, type, orderId, account, counterOrderId, counterAccount, symbol, side,
                orderType, tif, price, qty, leavesQty, filledQty, counterLeavesQty, resultCode, timestamp, traceParent);
    }

    /** True when the event ends the life of order {@link #orderId}. */
    public boolean isFinal() {
        return switch (type) {
            case REJECTED, CANCELED, EXPIRED -> true;
            case TRADE -> leavesQty == 0;
            default -> false;
        };
    }
}
