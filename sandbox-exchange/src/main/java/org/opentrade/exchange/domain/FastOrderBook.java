package org.opentrade.exchange.domain;

import java.util.function.Consumer;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/**
 * The order book the engine runs. Each side keeps its price levels in a sorted array with the best
 * level at the end, so the common operations — take from the best level, add near the touch, drop
 * an emptied best level — touch the end of the array; a level deep in the book costs one binary
 * search and one {@code System.arraycopy}. Orders queue in an intrusive doubly linked list per
 * level; emptied levels are pooled. Single-threaded: the engine thread of one shard owns it.
 */
public final class FastOrderBook implements OrderBook {
    private final String symbol;
    private final OrderIndex index;
    private final BookSide bids = new BookSide(true);
    private final BookSide asks = new BookSide(false);
    private long lastTradePrice = Price.NONE;
    private int orderCount;

    public FastOrderBook(String symbol, OrderIndex index) {
        this.symbol = symbol;
        this.index = index;
    }

    @Override
    public String symbol() {
        return symbol;
    }

    private BookSide side(Side s) {
        return s == Side.BUY ? bids : asks;
    }

    @Override
    public boolean match(Order taker, boolean preventSelfTrade, ExchangeListener listener) {
        BookSide opposite = side(taker.side.opposite());
        while (taker.leaves > 0) {
            Level level = opposite.best();
            if (level == null || !taker.crosses(level.price)) {
                return false;
            }
            Order maker = level.head;
            if (preventSelfTrade && maker.account.equals(taker.account)) {
                return true;
            }
            long q = Math.min(taker.leaves, maker.leaves);
            taker.fill(q);
            maker.fill(q);
            level.total -= q;
            lastTradePrice = level.price;
            listener.onTrade(taker, maker, level.price, q);
            if (maker.leaves == 0) {
                unlink(opposite, level, maker);
            }
        }
        return false;
    }

    @Override
    public long available(Order taker, long needed, boolean preventSelfTrade) {
        BookSide opposite = side(taker.side.opposite());
        long sum = 0;
        for (int i = opposite.size - 1; i >= 0 && sum < needed; i--) {
            Level level = opposite.levels[i];
            if (!taker.crosses(level.price)) {
                break;
            }
            if (!preventSelfTrade) {
                sum += level.total;
                continue;
            }
            for (Order o = level.head; o != null; o = o.next) {
                if (o.account.equals(taker.account)) {
                    return sum;
                }
                sum += o.leaves;
            }
        }
        return sum;
    }

    @Override
    public void rest(Order order) {
        Level level = side(order.side).levelFor(order.price);
        order.level = level;
        order.prev = level.tail;
        order.next = null;
        if (level.tail == null) {
            level.head = order;
        } else {
            level.tail.next = order;
        }
        level.tail = order;
        level.total += order.leaves;
        level.count++;
        orderCount++;
        index.put(order);
    }

    @Override
    public void remove(Order order) {
        Level level = (Level) order.level;
        level.total -= order.leaves;
        unlink(side(order.side), level, order);
    }

    private void unlink(BookSide side, Level level, Order order) {
        if (order.prev == null) {
            level.head = order.next;
        } else {
            order.prev.next = order.next;
        }
        if (order.next == null) {
            level.tail = order.prev;
        } else {
            order.next.prev = order.prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        level.count--;
        orderCount--;
        index.remove(order.id);
        if (level.count == 0) {
            side.removeLevel(level);
        }
    }

    @Override
    public void reduce(Order order, long newLeaves) {
        Level level = (Level) order.level;
        level.total -= order.leaves - newLeaves;
        order.leaves = newLeaves;
    }

    @Override
    public void uncross(long price, ExchangeListener listener) {
        while (true) {
            Level bid = bids.best();
            Level ask = asks.best();
            if (bid == null || ask == null || bid.price < price || ask.price > price) {
                return;
            }
            Order buy = bid.head;
            Order sell = ask.head;
            long q = Math.min(buy.leaves, sell.leaves);
            buy.fill(q);
            sell.fill(q);
            bid.total -= q;
            ask.total -= q;
            lastTradePrice = price;
            if (buy.seq > sell.seq) {
                listener.onTrade(buy, sell, price, q);
            } else {
                listener.onTrade(sell, buy, price, q);
            }
            if (buy.leaves == 0) {
                unlink(bids, bid, buy);
            }
            if (sell.leaves == 0) {
                unlink(asks, ask, sell);
            }
        }
    }

    @Override
    public long bestPrice(Side s) {
        Level l = side(s).best();
        return l == null ? Price.NONE : l.price;
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
    public void forEachLevel(Side s, LevelVisitor visitor) {
        BookSide side = side(s);
        for (int i = side.size - 1; i >= 0; i--) {
            Level l = side.levels[i];
            if (!visitor.visit(l.price, l.total, l.count)) {
                return;
            }
        }
    }

    @Override
    public void forEachOrder(Side s, Consumer<Order> visitor) {
        BookSide side = side(s);
        for (int i = side.size - 1; i >= 0; i--) {
            for (Order o = side.levels[i].head; o != null; o = o.next) {
                visitor.accept(o);
            }
        }
    }

    @Override
    public int orderCount() {
        return orderCount;
    }

    /** One price with its FIFO queue of orders. */
    private static final class Level {
        long price;
        long total;
        int count;
        Order head;
        Order tail;
    }

    /**
     * Levels sorted by a key that grows towards the best price (price for bids, -price for asks),
     * so the best level is the last element.
     */
    private static final class BookSide {
        private final boolean bid;
        private long[] keys = new long[64];
        private Level[] levels = new Level[64];
        private int size;
        private Level[] pool = new Level[64];
        private int pooled;

        BookSide(boolean bid) {
            this.bid = bid;
        }

        Level best() {
            return size == 0 ? null : levels[size - 1];
        }

        private long key(long price) {
            return bid ? price : -price;
        }

        /** Index of the key, or -(insertion point) - 1. Searches from the top, where most activity is. */
        private int find(long key) {
            if (size > 0) {
                long top = keys[size - 1];
                if (key == top) {
                    return size - 1;
                }
                if (key > top) {
                    return -(size) - 1;
                }
            }
            int lo = 0;
            int hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long k = keys[mid];
                if (k < key) {
                    lo = mid + 1;
                } else if (k > key) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        Level levelFor(long price) {
            long key = key(price);
            int i = find(key);
            if (i >= 0) {
                return levels[i];
            }
            int at = -i - 1;
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                levels = java.util.Arrays.copyOf(levels, size * 2);
            }
            if (at < size) {
                System.arraycopy(keys, at, keys, at + 1, size - at);
                System.arraycopy(levels, at, levels, at + 1, size - at);
            }
            Level l = pooled > 0 ? pool[--pooled] : new Level();
            pool[pooled] = null;
            l.price = price;
            l.total = 0;
            l.count = 0;
            keys[at] = key;
            levels[at] = l;
            size++;
            return l;
        }

        void removeLevel(Level level) {
            int i = size > 0 && levels[size - 1] == level ? size - 1 : find(key(level.price));
            int tail = size - i - 1;
            if (tail > 0) {
                System.arraycopy(keys, i + 1, keys, i, tail);
                System.arraycopy(levels, i + 1, levels, i, tail);
            }
            size--;
            levels[size] = null;
            level.head = null;
            level.tail = null;
            if (pooled == pool.length) {
                pool = java.util.Arrays.copyOf(pool, pooled * 2);
            }
            pool[pooled++] = level;
        }
    }
}
