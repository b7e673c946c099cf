package org.opentrade.exchange.domain;

import static org.opentrade.exchange.domain.Ticket.price;

import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/** A scenario participant: one account that buys, sells, cancels and replaces. */
public record Trader(String account) {

    public Ticket buys(long id, long qty, String limit) {
        return order(id, Side.BUY, OrderType.LIMIT, qty, price(limit), Price.NONE);
    }

    public Ticket sells(long id, long qty, String limit) {
        return order(id, Side.SELL, OrderType.LIMIT, qty, price(limit), Price.NONE);
    }

    public Ticket buysAtMarket(long id, long qty) {
        return order(id, Side.BUY, OrderType.MARKET, qty, Price.NONE, Price.NONE).ioc();
    }

    public Ticket sellsAtMarket(long id, long qty) {
        return order(id, Side.SELL, OrderType.MARKET, qty, Price.NONE, Price.NONE).ioc();
    }

    public Ticket buysStop(long id, long qty, String stop) {
        return order(id, Side.BUY, OrderType.STOP, qty, Price.NONE, price(stop));
    }

    public Ticket sellsStop(long id, long qty, String stop) {
        return order(id, Side.SELL, OrderType.STOP, qty, Price.NONE, price(stop));
    }

    public Ticket buysStopLimit(long id, long qty, String stop, String limit) {
        return order(id, Side.BUY, OrderType.STOP_LIMIT, qty, price(limit), price(stop));
    }

    public Ticket sellsStopLimit(long id, long qty, String stop, String limit) {
        return order(id, Side.SELL, OrderType.STOP_LIMIT, qty, price(limit), price(stop));
    }

    public Ticket cancels(long id) {
        return new Ticket(CommandType.CANCEL, id, account, null, null, null, null, Price.NONE, Price.NONE, 0);
    }

    /** Replace to a new total quantity and price. */
    public Ticket replaces(long id, long newQty, String newPrice) {
        return new Ticket(CommandType.REPLACE, id, account, null, null, null, null, price(newPrice), Price.NONE,
                newQty);
    }

    private Ticket order(long id, Side side, OrderType type, long qty, long limit, long stop) {
        return new Ticket(CommandType.NEW_ORDER, id, account, null, side, type, TimeInForce.GTC, limit, stop, qty);
    }
}
