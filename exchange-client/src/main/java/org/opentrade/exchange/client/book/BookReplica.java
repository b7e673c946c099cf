package org.opentrade.exchange.client.book;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.opentrade.exchange.collect.LongMap;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Side;

/**
 * An order-level (L3) replica of one symbol's book, built from a snapshot with its resting orders
 * and kept exact by the shard's events after it; it exposes the aggregated (L2) levels.
 *
 * <p>The rules follow the engine's events, whose {@code leaves_qty}/{@code counter_leaves_qty} are
 * absolute remaining quantities: an ACCEPTED resting order (LIMIT, GTC or DAY) or a TRIGGERED one
 * that became such rests; a TRADE sets the taker's and the maker's remaining quantity (by order id,
 * so an auction trade at a price other than the maker's needs nothing special); CANCELED and
 * EXPIRED remove; REPLACED moves price and quantity. Stops, market, IOC and FOK orders never rest;
 * REJECTED changes nothing. Events of other symbols and events at or before the replica's sequence
 * are ignored, so the whole shard's stream may be fed to it.
 *
 * <p>Not thread-safe: one thread (the feed consumer's). Cost: an event is a lookup in a primitive hash map plus an update
 * of its level: O(log levels) when a level appears or empties, O(1) otherwise (an order keeps its
 * level); {@link #bids(int)} and {@link #asks(int)} walk only the levels asked for.
 */
public final class BookReplica {
    private final String symbol;
    private final LongMap<Resting> orders = new LongMap<>(1024);
    private final NavigableMap<Long, Level> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<Long, Level> asks = new TreeMap<>();
    private long seq;

    /** An empty book at sequence 0: right for a shard whose history is replayed from its first event. */
    public BookReplica(String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("symbol is required");
        }
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The sequence of the last event applied (or of the snapshot loaded). */
    public long seq() {
        return seq;
    }

    /**
     * Replaces the replica's state with {@code snapshot}, which must carry its resting orders (ask
     * with {@code orders: true}). Throws IllegalArgumentException for another symbol, a snapshot
     * without orders, or one whose orders do not add up to its levels.
     */
    public void load(BookSnapshot snapshot) {
        if (!symbol.equals(snapshot.symbol())) {
            throw new IllegalArgumentException("snapshot of " + snapshot.symbol() + " loaded into the book of "
                    + symbol);
        }
        if (snapshot.orders() == null) {
            throw new IllegalArgumentException("snapshot of " + symbol
                    + " has no resting orders: ask with orders=true");
        }
        orders.clear();
        bids.clear();
        asks.clear();
        for (OrderView o : snapshot.orders()) {
            if (o.side() == null || o.leavesQty() <= 0) {
                throw new IllegalArgumentException("snapshot of " + symbol + ": resting order " + o.orderId()
                        + " needs a side and a positive leaves_qty");
            }
            put(o.orderId(), o.side(), o.price(), o.leavesQty());
        }
        seq = snapshot.seq();
        if (!bids().equals(snapshot.bids()) || !asks().equals(snapshot.asks())) {
            throw new IllegalArgumentException("snapshot of " + symbol + " at " + seq
                    + ": its resting orders do not add up to its levels");
        }
    }

    /**
     * Applies one event of the shard's stream; returns false when it was ignored (another symbol, or
     * not after {@link #seq()}).
     */
    public boolean apply(ExchangeEvent e) {
        if (!symbol.equals(e.symbol()) || e.seq() <= seq) {
            return false;
        }
        seq = e.seq();
        switch (e.type()) {
            case ACCEPTED, TRIGGERED -> {
                if (e.orderType() == OrderType.LIMIT && e.tif() != null && e.tif().rests() && e.leavesQty() > 0) {
                    put(e.orderId(), e.side(), e.price(), e.leavesQty());
                }
            }
            case TRADE -> {
                setLeaves(e.orderId(), e.leavesQty());
                setLeaves(e.counterOrderId(), e.counterLeavesQty());
            }
            case CANCELED, EXPIRED -> remove(e.orderId());
            case REPLACED -> {
                Resting o = orders.get(e.orderId());
                if (o != null) {
                    remove(e.orderId());
                    if (e.leavesQty() > 0) {
                        put(e.orderId(), o.side, e.price(), e.leavesQty());
                    }
                }
            }
            case REJECTED -> {
                // changes nothing
            }
        }
        return true;
    }

    /** Every bid level, best (highest) first. */
    public List<BookLevel> bids() {
        return bids(Integer.MAX_VALUE);
    }

    /** Every ask level, best (lowest) first. */
    public List<BookLevel> asks() {
        return asks(Integer.MAX_VALUE);
    }

    /** The best {@code depth} bid levels. */
    public List<BookLevel> bids(int depth) {
        return levels(bids, depth);
    }

    /** The best {@code depth} ask levels. */
    public List<BookLevel> asks(int depth) {
        return levels(asks, depth);
    }

    /** Number of resting orders. */
    public int orderCount() {
        return orders.size();
    }

    /** The remaining quantity of a resting order, or 0 when it does not rest here. */
    public long leaves(long orderId) {
        Resting o = orders.get(orderId);
        return o == null ? 0 : o.leaves;
    }

    // ------------------------------------------------------------------ internals

    private void put(long orderId, Side side, long price, long leaves) {
        Level level = side(side).computeIfAbsent(price, p -> new Level());
        level.qty += leaves;
        level.count++;
        Resting replaced = orders.put(orderId, new Resting(side, price, leaves, level));
        if (replaced != null) {
            leave(replaced);
        }
    }

    private void setLeaves(long orderId, long leaves) {
        Resting o = orders.get(orderId);
        if (o == null) {
            return;
        }
        if (leaves <= 0) {
            remove(orderId);
            return;
        }
        o.level.qty += leaves - o.leaves; // the order's own level: no tree lookup per fill
        o.leaves = leaves;
    }

    private void remove(long orderId) {
        Resting o = orders.remove(orderId);
        if (o != null) {
            leave(o);
        }
    }

    /** Takes {@code o}, no longer in {@link #orders}, off its level; an emptied level leaves its side. */
    private void leave(Resting o) {
        Level level = o.level;
        level.qty -= o.leaves;
        if (--level.count == 0) {
            side(o.side).remove(o.price);
        }
    }

    private NavigableMap<Long, Level> side(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    private static List<BookLevel> levels(NavigableMap<Long, Level> book, int depth) {
        List<BookLevel> out = new ArrayList<>(Math.min(depth, book.size()));
        for (Map.Entry<Long, Level> e : book.entrySet()) {
            if (out.size() == depth) {
                break;
            }
            out.add(new BookLevel(e.getKey(), e.getValue().qty, e.getValue().count));
        }
        return out;
    }

    private static final class Resting {
        final Side side;
        final long price;
        /** The level at {@link #price} on {@link #side}, which holds this order while it rests. */
        final Level level;
        long leaves;

        Resting(Side side, long price, long leaves, Level level) {
            this.side = side;
            this.price = price;
            this.leaves = leaves;
            this.level = level;
        }
    }

    private static final class Level {
        long qty;
        int count;
    }
}
