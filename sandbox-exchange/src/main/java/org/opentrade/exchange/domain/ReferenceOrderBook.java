package org.opentrade.exchange.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/**
 * The obviously correct order book: each side is one list kept in priority order (better price
 * first, then earlier sequence) by linear insertion. Slow on purpose — it exists so the
 * {@link FastOrderBook} can be differential-tested against it on seeded random streams.
 */
public final class ReferenceOrderBook implements OrderBook {
    private final String symbol;
    private final OrderIndex index;
    private final List<Order> bids = new ArrayList<>();
    private final List<Order> asks = new ArrayList<>();
    private long lastTradePrice = Price.NONE;

    public ReferenceOrderBook(String symbol, OrderIndex index) {
        this.symbol = symbol;
        this.index = index;
    }

    private List<Order> list(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    private static Comparator<Order> priority(Side side) {
        Comparator<Order> byPrice = Comparator.comparingLong(o -> o.price);
        if (side == Side.BUY) {
            byPrice = byPrice.reversed();
        }
        return byPrice.thenComparingLong(o -> o.seq);
    }

    @Override
    public String symbol() {
        return symbol;
    }

    @Override
    public boolean match(Order taker, boolean preventSelfTrade, ExchangeListener listener) {
        List<Order> opposite = list(taker.side.opposite());
        while (taker.leaves > 0 && !opposite.isEmpty()) {
            Order maker = opposite.get(0);
            if (!taker.crosses(maker.price)) {
                return false;
            }
            if (preventSelfTrade && maker.account.equals(taker.account)) {
                return true;
            }
            long q = Math.min(taker.leaves, maker.leaves);
            taker.fill(q);
            maker.fill(q);
            lastTradePrice = maker.price;
            listener.onTrade(taker, maker, maker.price, q);
            if (maker.leaves == 0) {
                opposite.remove(0);
                index.remove(maker.id);
            }
        }
        return false;
    }

    @Override
    public long available(Order taker, long needed, boolean preventSelfTrade) {
        long sum = 0;
        for (Order o : list(taker.side.opposite())) {
            if (sum >= needed || !taker.crosses(o.price)) {
                break;
            }
            if (preventSelfTrade && o.account.equals(taker.account)) {
                break;
            }
            sum += o.leaves;
        }
        return sum;
    }

    @Override
    public void rest(Order order) {
        List<Order> l = list(order.side);
        Comparator<Order> c = priority(order.side);
        int i = 0;
        while (i < l.size() && c.compare(l.get(i), order) <= 0) {
            i++;
        }
        l.add(i, order);
        index.put(order);
    }

    @Override
    public void remove(Order order) {
        list(order.side).remove(order);
        index.remove(order.id);
    }

    @Override
    public void reduce(Order order, long newLeaves) {
        order.leaves = newLeaves;
    }

    @Override
    public void uncross(long price, ExchangeListener listener) {
        while (!bids.isEmpty() && !asks.isEmpty() && bids.get(0).price >= price && asks.get(0).price <= price) {
            Order buy = bids.get(0);
            Order sell = asks.get(0);
            long q = Math.min(buy.leaves, sell.leaves);
            buy.fill(q);
            sell.fill(q);
            lastTradePrice = price;
            if (buy.seq > sell.seq) {
                listener.onTrade(buy, sell, price, q);
            } else {
                listener.onTrade(sell, buy, price, q);
            }
            if (buy.leaves == 0) {
                bids.remove(0);
                index.remove(buy.id);
            }
            if (sell.leaves == 0) {
                asks.remove(0);
                index.remove(sell.id);
            }
        }
    }

    @Override
    public long bestPrice(Side side) {
        List<Order> l = list(side);
        return l.isEmpty() ? Price.NONE : l.get(0).price;
    }

    @Override
    public long lastTradePrice() {
        return lastTradePrice;
    }

    @Override
    public void restoreLastTradePrice(long price) {
        lastTradePrice = price;
    }

    @Override
    public void forEachLevel(Side side, LevelVisitor visitor) {
        List<Order> l = list(side);
        int i = 0;
        while (i < l.size()) {
            long price = l.get(i).price;
            long total = 0;
            int count = 0;
            while (i < l.size() && l.get(i).price == price) {
                total += l.get(i).leaves;
                count++;
                i++;
            }
            if (!visitor.visit(price, total, count)) {
                return;
            }
        }
    }

    @Override
    public void forEachOrder(Side side, Consumer<Order> visitor) {
        for (Order o : list(side)) {
            visitor.accept(o);
        }
    }

    @Override
    public int orderCount() {
        return bids.size() + asks.size();
    }
}
