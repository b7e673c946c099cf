package org.opentrade.exchange.domain;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;

/**
 * Records engine outcomes as short readable lines, so a test states the expected executions the
 * way a trader would read them:
 * <pre>
 * ACCEPTED 3 BUY 150@10.00         (market: 150@MKT; stop: 100@MKT STOP 10.50; stop-limit: 100@10.60 STOP 10.50)
 * TRADE 3x1 100@10.00 leaves 50    (taker x maker, qty at the trade price, taker's remaining qty)
 * CANCELED 3 50                    (quantity taken off)
 * EXPIRED 3 150
 * REPLACED 1 80@10.00 leaves 80    (new total qty at the new price, remaining qty)
 * TRIGGERED 4 BUY 100@MKT
 * REJECTED 7 UNKNOWN_ORDER
 * </pre>
 */
public final class EventLog implements ExchangeListener {
    private final List<String> lines = new ArrayList<>();

    public List<String> lines() {
        return lines;
    }

    /** Returns what was recorded so far and starts over. */
    public List<String> drain() {
        List<String> copy = List.copyOf(lines);
        lines.clear();
        return copy;
    }

    static String px(long hundredths) {
        return Price.format(hundredths);
    }

    static String priced(Order o) {
        String limit = o.type().hasLimitPrice() ? px(o.price()) : "MKT";
        String stop = o.type().isStop() ? " STOP " + px(o.stopPrice()) : "";
        return "@" + limit + stop;
    }

    @Override
    public void onAccepted(Order o) {
        lines.add("ACCEPTED " + o.id() + " " + o.side() + " " + o.qty() + priced(o));
    }

    @Override
    public void onRejected(Command c, ResultCode code) {
        lines.add("REJECTED " + (c == null ? "-" : Long.toString(c.orderId())) + " " + code.name());
    }

    @Override
    public void onTrade(Order taker, Order maker, long price, long qty) {
        lines.add("TRADE " + taker.id() + "x" + maker.id() + " " + qty + "@" + px(price) + " leaves " + taker.leaves());
    }

    @Override
    public void onCanceled(Order o, long canceledQty) {
        lines.add("CANCELED " + o.id() + " " + canceledQty);
    }

    @Override
    public void onReplaced(Order o) {
        lines.add("REPLACED " + o.id() + " " + o.qty() + "@" + px(o.price()) + " leaves " + o.leaves());
    }

    @Override
    public void onExpired(Order o, long expiredQty) {
        lines.add("EXPIRED " + o.id() + " " + expiredQty);
    }

    @Override
    public void onTriggered(Order o) {
        lines.add("TRIGGERED " + o.id() + " " + o.side() + " " + o.leaves() + priced(o));
    }
}
