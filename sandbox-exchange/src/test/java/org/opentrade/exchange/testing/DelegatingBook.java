package org.opentrade.exchange.testing;

import java.util.function.Consumer;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.Order;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.model.Side;

/** An order book that forwards everything; tests override one method to inject a failure. */
public class DelegatingBook implements OrderBook {
    private final OrderBook inner;

    public DelegatingBook(OrderBook inner) {
        this.inner = inner;
    }

    @Override
    public String symbol() {
        return inner.symbol();
    }

    @Override
    public boolean match(Order taker, boolean preventSelfTrade, ExchangeListener listener) {
        return inner.match(taker, preventSelfTrade, listener);
    }

    @Override
    public long available(Order taker, long needed, boolean preventSelfTrade) {
        return inner.available(taker, needed, preventSelfTrade);
    }

    @Override
    public void rest(Order order) {
        inner.rest(order);
    }

    @Override
    public void remove(Order order) {
        inner.remove(order);
    }

    @Override
    public void reduce(Order order, long newLeaves) {
        inner.reduce(order, newLeaves);
    }

    @Override
    public void uncross(long price, ExchangeListener listener) {
        inner.uncross(price, listener);
    }

    @Override
    public long bestPrice(Side side) {
        return inner.bestPrice(side);
    }

    @Override
    public long lastTradePrice() {
        return inner.lastTradePrice();
    }

    @Override
    public void forEachLevel(Side side, LevelVisitor visitor) {
        inner.forEachLevel(side, visitor);
    }

    @Override
    public void forEachOrder(Side side, Consumer<Order> visitor) {
        inner.forEachOrder(side, visitor);
    }

    @Override
    public int orderCount() {
        return inner.orderCount();
    }

    @Override
    public void restoreLastTradePrice(long price) {
        inner.restoreLastTradePrice(price);
    }
}
