package org.opentrade.trade.domain.ledger;

import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;

/**
 * The ledger's mutable record of one order: the fields of {@link Order} plus what only the books
 * need (reserve price, fees already billed, whether a stop fired). Ledger thread only; every
 * change the account sees goes out as a fresh immutable {@link Order} ({@link #view()}).
 */
final class OrderEntry {
    final String orderId;
    final long exchangeId;
    final String account;
    final String clientOrderId;
    final String symbol;
    final Side side;
    final OrderType type;
    final TimeInForce tif;
    final long stopPrice;
    final long createdAt;
    /** The account's order number (creation order, the first is 0): the paging cursor. */
    final long index;
    long qty;
    long price;
    long filledQty;
    long leavesQty;
    long filledValue;
    OrderStatus status;
    String rejectReason;
    int rejectCode;
    long updatedAt;
    long updateSeq;
    /** Price a buy's leaves are reserved at: the limit, or the caller's bound for market/stop buys. */
    long reservePrice;
    /** Fees billed to this order's fills so far (per-order billing charges the increase). */
    long feesBilled;
    boolean triggered;
    /**
     * What this order currently counts in its account's {@link AccountBook#reserved} (cash, a buy) and
     * {@link AccountBook#heldForSells} (shares, a sell): derived, never in a snapshot; kept in step by
     * {@link Ledger} after every change so buying-power reads are O(1).
     */
    long reservedCash;
    long heldShares;

    OrderEntry(String orderId, long exchangeId, String account, String clientOrderId, String symbol, Side side,
               OrderType type, TimeInForce tif, long stopPrice, long createdAt, long index) {
        this.orderId = orderId;
        this.exchangeId = exchangeId;
        this.account = account;
        this.clientOrderId = clientOrderId;
        this.symbol = symbol;
        this.side = side;
        this.type = type;
        this.tif = tif;
        this.stopPrice = stopPrice;
        this.createdAt = createdAt;
        this.index = index;
    }

    boolean isOpen() {
        return status.isOpen();
    }

    long avgFillPrice() {
        return filledQty == 0 ? 0 : Holding.roundedDiv(filledValue, filledQty);
    }

    Order view() {
        return new Order(orderId, exchangeId, account, clientOrderId, symbol, side, type, tif, qty, price, stopPrice,
                filledQty, leavesQty, avgFillPrice(), filledValue, status, rejectReason, rejectCode, createdAt,
                updatedAt, updateSeq);
    }
}
