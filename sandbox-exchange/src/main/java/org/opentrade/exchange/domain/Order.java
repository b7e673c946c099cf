package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * A live order inside one engine. Mutable and owned by the engine thread; listeners may read it
 * during a callback but must copy what they keep: once an order is done (filled, canceled, expired)
 * the engine reuses the object for a later order. The {@code prev}/{@code next} links thread it into
 * its price level's FIFO queue (intrusive list: no node allocation on the hot path).
 */
public final class Order {
    long id;
    String account;
    String symbol;
    Side side;
    TimeInForce tif;
    OrderType type;
    long price;
    long stopPrice;
    long qty;
    long filled;
    long leaves;
    /** Time priority: a smaller sequence was there first. Renewed when a replace loses priority. */
    long seq;
    long enteredAt;
    String traceParent;

    Order prev;
    Order next;
    Object level;
    /** True while the object sits in the engine's free list (see {@link OrderPool}). */
    boolean pooled;

    Order(long id, String account, String symbol, Side side, OrderType type, TimeInForce tif, long price,
          long stopPrice, long qty, long seq, long enteredAt, String traceParent) {
        init(id, account, symbol, side, type, tif, price, stopPrice, qty, seq, enteredAt, traceParent);
    }

    /** (Re)initialises every field: a pooled object must carry nothing over from its last life. */
    void init(long id, String account, String symbol, Side side, OrderType type, TimeInForce tif, long price,
              long stopPrice, long qty, long seq, long enteredAt, String traceParent) {
        this.id = id;
        this.account = account;
        this.symbol = symbol;
        this.side = side;
        this.type = type;
        this.tif = tif;
        this.price = price;
        this.stopPrice = stopPrice;
        this.qty = qty;
        this.leaves = qty;
        this.seq = seq;
        this.enteredAt = enteredAt;
        this.traceParent = traceParent;
        this.filled = 0;
        this.prev = null;
        this.next = null;
        this.level = null;
        this.pooled = false;
    }

    public long id() {
        return id;
    }

    public String account() {
        return account;
    }

    public String symbol() {
        return symbol;
    }

    public Side side() {
        return side;
    }

    public OrderType type() {
        return type;
    }

    public TimeInForce tif() {
        return tif;
    }

    /** Limit price in hundredths, {@link Price#NONE} for market orders. */
    public long price() {
        return price;
    }

    public long stopPrice() {
        return stopPrice;
    }

    /** Total quantity (after any replace). */
    public long qty() {
        return qty;
    }

    public long filled() {
        return filled;
    }

    public long leaves() {
        return leaves;
    }

    public long seq() {
        return seq;
    }

    public long enteredAt() {
        return enteredAt;
    }

    public String traceParent() {
        return traceParent;
    }

    /** True when the incoming price condition allows a trade at {@code makerPrice}. */
    boolean crosses(long makerPrice) {
        if (type == OrderType.MARKET) {
            return true;
        }
        return side == Side.BUY ? makerPrice <= price : makerPrice >= price;
    }

    void fill(long q) {
        filled += q;
        leaves -= q;
    }

    @Override
    public String toString() {
        return "Order{" + id + ' ' + side + ' ' + type + ' ' + tif + ' ' + symbol + " px=" + price + " qty=" + qty
                + " filled=" + filled + " leaves=" + leaves + " seq=" + seq + '}';
    }
}
