package org.opentrade.exchange.domain.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Where the simulator's participants turn intentions into commands: allocates order ids from the
 * reserved range, records each order it sends, and applies the exchange's events to them. Cancels
 * and replaces carry the account, so they can only ever touch the simulator's own orders.
 *
 * <p>Within one batch the simulator cannot see what its earlier commands will fill, so a cancel or
 * replace of an own order that an earlier buy or sell of the same batch and instrument could have
 * reached is deferred to the next step ({@link #cancel} and {@link #replace} return false): it
 * would otherwise be refused as UNKNOWN_ORDER when that order has just been filled.
 */
final class OrderEntry {
    private final Map<Long, SimOrder> orders = new HashMap<>();
    private final List<Command> out = new ArrayList<>();
    private long nextId;
    private long now;
    /** Highest buy price and lowest sell price sent in this batch for {@link #batchSymbol}. */
    private String batchSymbol;
    private long highestBuy;
    private long lowestSell;
    private long commandsSent;
    private long rejections;
    private long tradesSeen;

    OrderEntry(long firstOrderId) {
        this.nextId = firstOrderId;
    }

    void begin(long nowMillis) {
        now = nowMillis;
        out.clear();
        batchSymbol = null;
    }

    private void reach(String symbol, Side side, long price) {
        if (!symbol.equals(batchSymbol)) {
            batchSymbol = symbol;
            highestBuy = Long.MIN_VALUE;
            lowestSell = Long.MAX_VALUE;
        }
        if (side == Side.BUY) {
            highestBuy = Math.max(highestBuy, price == Price.NONE ? Long.MAX_VALUE : price);
        } else {
            lowestSell = Math.min(lowestSell, price == Price.NONE ? Long.MIN_VALUE : price);
        }
    }

    /** True when an earlier command of this batch may have traded with {@code o}. */
    private boolean mayHaveTraded(SimOrder o) {
        if (!o.symbol.equals(batchSymbol)) {
            return false;
        }
        return o.side == Side.SELL ? o.price <= highestBuy : o.price >= lowestSell;
    }

    List<Command> commands() {
        return List.copyOf(out);
    }

    SimOrder limit(String account, String symbol, Side side, TimeInForce tif, long price, long qty) {
        SimOrder o = new SimOrder(nextId++, account, symbol, side, price, qty, now);
        orders.put(o.id, o);
        reach(symbol, side, price);
        send(Command.limit(o.id, account, symbol, side, tif, price, qty, now));
        return o;
    }

    SimOrder market(String account, String symbol, Side side, long qty) {
        SimOrder o = new SimOrder(nextId++, account, symbol, side, Price.NONE, qty, now);
        orders.put(o.id, o);
        reach(symbol, side, Price.NONE);
        send(Command.market(o.id, account, symbol, side, qty, now));
        return o;
    }

    /** Sends a replace, unless an earlier command of this batch may have filled the order. */
    boolean replace(SimOrder o, long price, long qty) {
        if (mayHaveTraded(o)) {
            return false;
        }
        reach(o.symbol, o.side, price);
        o.state = SimOrder.State.PENDING_REPLACE;
        o.targetPrice = price;
        send(new Command(CommandType.REPLACE, o.id, o.account, o.symbol, null, null, null, price, Price.NONE, qty,
                now, null));
        return true;
    }

    /** Sends a cancel, unless an earlier command of this batch may have filled the order. */
    boolean cancel(SimOrder o) {
        if (mayHaveTraded(o)) {
            return false;
        }
        o.state = SimOrder.State.PENDING_CANCEL;
        send(new Command(CommandType.CANCEL, o.id, o.account, o.symbol, null, null, null, Price.NONE, Price.NONE, 0,
                now, null));
        return true;
    }

    private void send(Command c) {
        out.add(c);
        commandsSent++;
    }

    /** Applies one exchange event; events about other traders' orders only count as seen trades. */
    void apply(ExchangeEvent e) {
        if (e.type() == EventType.TRADE) {
            tradesSeen++;
            SimOrder maker = orders.get(e.counterOrderId());
            if (maker != null && maker.account.equals(e.counterAccount())) {
                maker.filled += e.qty();
                maker.leaves = e.counterLeavesQty();
                if (maker.leaves == 0) {
                    finish(maker);
                }
            }
        }
        SimOrder o = orders.get(e.orderId());
        if (o == null || (e.account() != null && !o.account.equals(e.account()))) {
            return;
        }
        switch (e.type()) {
            case ACCEPTED -> {
                if (o.state == SimOrder.State.PENDING_NEW) {
                    o.state = SimOrder.State.LIVE;
                }
            }
            case REJECTED -> {
                rejections++;
                if (o.state == SimOrder.State.PENDING_NEW || e.resultCode() == ResultCode.UNKNOWN_ORDER) {
                    finish(o);
                } else if (o.state != SimOrder.State.DONE) {
                    o.state = SimOrder.State.LIVE; // the order stays as it was
                }
            }
            case TRADE -> {
                o.filled = e.filledQty();
                o.leaves = e.leavesQty();
                if (o.leaves == 0) {
                    finish(o);
                }
            }
            case REPLACED -> {
                o.price = e.price();
                o.qty = e.qty();
                o.leaves = e.leavesQty();
                o.filled = e.filledQty();
                if (o.state == SimOrder.State.PENDING_REPLACE) {
                    o.state = SimOrder.State.LIVE;
                }
            }
            case CANCELED, EXPIRED -> finish(o);
            default -> { }
        }
    }

    private void finish(SimOrder o) {
        o.leaves = 0;
        o.state = SimOrder.State.DONE;
        orders.remove(o.id);
    }

    /** Cancels every live order (pending ones are left to land first). */
    void cancelAllLive() {
        List<SimOrder> all = new ArrayList<>(orders.values());
        all.sort((a, b) -> Long.compare(a.id, b.id)); // deterministic order
        for (SimOrder o : all) {
            if (o.isLive()) {
                cancel(o);
            }
        }
    }

    int liveOrders() {
        return orders.size();
    }

    SimulatorStats stats() {
        return new SimulatorStats(commandsSent, rejections, tradesSeen, orders.size());
    }
}
