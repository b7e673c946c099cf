package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * One instruction a trader sends in a scenario, turned into a {@link Command} when the scenario
 * sends it (which supplies the default symbol and the clock). Immutable: modifiers return a copy.
 */
public record Ticket(CommandType op, long orderId, String account, String symbol, Side side, OrderType type,
                     TimeInForce tif, long price, long stopPrice, long qty) {

    public Ticket ioc() {
        return withTif(TimeInForce.IOC);
    }

    public Ticket fok() {
        return withTif(TimeInForce.FOK);
    }

    public Ticket day() {
        return withTif(TimeInForce.DAY);
    }

    public Ticket gtc() {
        return withTif(TimeInForce.GTC);
    }

    public Ticket withTif(TimeInForce t) {
        return new Ticket(op, orderId, account, symbol, side, type, t, price, stopPrice, qty);
    }

    /** The same instruction for another instrument. */
    public Ticket on(String sym) {
        return new Ticket(op, orderId, account, sym, side, type, tif, price, stopPrice, qty);
    }

    public Command toCommand(String defaultSymbol, long timestamp) {
        return new Command(op, orderId, account, symbol == null ? defaultSymbol : symbol, side, type, tif, price,
                stopPrice, qty, timestamp, null);
    }

    /** Hundredths from "10.01"; fails the test on unreadable text. */
    public static long price(String text) {
        long p = Price.parse(text);
        if (p == Price.INVALID) {
            throw new IllegalArgumentException("bad price in test: " + text);
        }
        return p;
    }
}
