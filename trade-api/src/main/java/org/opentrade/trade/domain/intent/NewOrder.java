package org.opentrade.trade.domain.intent;

import org.opentrade.trade.domain.OrderRequest;

/**
 * An order that passed the risk checks and is about to be sent to the exchange as
 * {@code exchangeId}. {@code request} is the order as asked, its {@code clientOrderId} the effective
 * one (the caller's, or the one trade-api generated), so a retry after a restart finds this order.
 *
 * @param idempotencyKey the request's {@code Idempotency-Key} header, or null
 * @param requestHash    a hash of the request's parameters, computed by the caller, so a retry with the
 *                       same client order id (or idempotency key) but other parameters is told apart
 * @param reservePrice   the price a market or stop buy reserves buying power at (decided by the risk
 *                       checks from the market at that moment, so a replay reserves the same); 0 otherwise
 * @param feedPositions the last feed seq applied per shard when the order was recorded: a replay records
 *                       it between the same two events, so the account's update numbering is the same
 *                       (empty in records of older formats)
 */
public record NewOrder(long index, String account, long exchangeId, OrderRequest request, String idempotencyKey,
                       long requestHash, long time, long reservePrice, java.util.Map<Integer, Long> feedPositions)
        implements Intent {
    public NewOrder {
        feedPositions = Intent.positions(feedPositions);
        Intent.requireCommon(index, account);
        if (exchangeId <= 0) {
            throw new IllegalArgumentException("exchange order id must be > 0, got " + exchangeId);
        }
        if (request == null || request.clientOrderId() == null || request.clientOrderId().isEmpty()) {
            throw new IllegalArgumentException("a new order needs its request with the effective client order id");
        }
    }

    public NewOrder(long index, String account, long exchangeId, OrderRequest request, String idempotencyKey,
                    long requestHash, long time) {
        this(index, account, exchangeId, request, idempotencyKey, requestHash, time, 0, java.util.Map.of());
    }

    public NewOrder(long index, String account, long exchangeId, OrderRequest request, String idempotencyKey,
                    long requestHash, long time, long reservePrice) {
        this(index, account, exchangeId, request, idempotencyKey, requestHash, time, reservePrice, java.util.Map.of());
    }

    /** Not yet appended (index 0). */
    public static NewOrder of(String account, long exchangeId, OrderRequest request, String idempotencyKey,
                              long requestHash, long time) {
        return new NewOrder(0, account, exchangeId, request, idempotencyKey, requestHash, time, 0);
    }

    /** Not yet appended, with the reserve price of a market or stop buy. */
    public static NewOrder of(String account, long exchangeId, OrderRequest request, String idempotencyKey,
                              long requestHash, long time, long reservePrice) {
        return new NewOrder(0, account, exchangeId, request, idempotencyKey, requestHash, time, reservePrice,
                java.util.Map.of());
    }

    /** Not yet appended, recorded at the given feed positions. */
    public static NewOrder at(String account, long exchangeId, OrderRequest request, String idempotencyKey,
                              long requestHash, long time, long reservePrice, java.util.Map<Integer, Long> feedPositions) {
        return new NewOrder(0, account, exchangeId, request, idempotencyKey, requestHash, time, reservePrice,
                feedPositions);
    }

    /** The order's effective client order id (never null). */
    public String clientOrderId() {
        return request.clientOrderId();
    }

    @Override
    public NewOrder withIndex(long index) {
        return new NewOrder(index, account, exchangeId, request, idempotencyKey, requestHash, time, reservePrice,
                feedPositions);
    }
}
