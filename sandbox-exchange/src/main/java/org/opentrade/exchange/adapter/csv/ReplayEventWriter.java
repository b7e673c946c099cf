package org.opentrade.exchange.adapter.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.Order;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;

/**
 * Writes engine events as rows of the replay contract's output:
 * {@code seq,event,order_id,counter_order_id,symbol,side,price,qty,leaves_qty}.
 * TRADE rows name the taker in {@code order_id} and the maker in {@code counter_order_id}, with the
 * maker's price and the taker's remaining quantity. CANCELED and EXPIRED rows carry the quantity
 * that was taken off; REPLACED rows the new price and total quantity.
 */
public final class ReplayEventWriter implements ExchangeListener {
    public static final String HEADER = "seq,event,order_id,counter_order_id,symbol,side,price,qty,leaves_qty";

    private final Writer out;
    private final ReplayCommandParser ids;
    private final StringBuilder line = new StringBuilder(128);
    private long seq;
    private ReplayCommandParser.Row currentRow;

    public ReplayEventWriter(Writer out, ReplayCommandParser ids) {
        this.out = out;
        this.ids = ids;
    }

    public void writeHeader() throws IOException {
        out.write(HEADER);
        out.write('\n');
    }

    /** The row being processed, so a rejection can echo what the input said. */
    public void currentRow(ReplayCommandParser.Row row) {
        this.currentRow = row;
    }

    /** Reports a row that could not even become a command. */
    public void rejectRow(ReplayCommandParser.Row row) {
        begin("REJECTED", row.rawOrderId(), "", row.rawSymbol(), null, Price.NONE, 0, 0);
    }

    public long eventsWritten() {
        return seq;
    }

    @Override
    public void onAccepted(Order o) {
        begin("ACCEPTED", ids.idText(o.id()), "", o.symbol(), o.side(), o.price(), o.qty(), o.leaves());
    }

    @Override
    public void onRejected(Command c, ResultCode code) {
        String id = currentRow != null ? currentRow.rawOrderId() : (c == null ? "" : ids.idText(c.orderId()));
        String symbol = currentRow != null ? currentRow.rawSymbol() : (c == null ? "" : c.symbol());
        Side side = c == null ? null : c.side();
        long price = c == null || c.price() <= 0 ? Price.NONE : c.price();
        long qty = c == null || c.qty() <= 0 ? 0 : c.qty();
        begin("REJECTED", id, "", symbol, side, price, qty, 0);
    }

    @Override
    public void onTrade(Order taker, Order maker, long price, long qty) {
        begin("TRADE", ids.idText(taker.id()), ids.idText(maker.id()), taker.symbol(), taker.side(), price, qty,
                taker.leaves());
    }

    @Override
    public void onCanceled(Order o, long canceledQty) {
        begin("CANCELED", ids.idText(o.id()), "", o.symbol(), o.side(), o.price(), canceledQty, 0);
    }

    @Override
    public void onReplaced(Order o) {
        begin("REPLACED", ids.idText(o.id()), "", o.symbol(), o.side(), o.price(), o.qty(), o.leaves());
    }

    @Override
    public void onExpired(Order o, long expiredQty) {
        begin("EXPIRED", ids.idText(o.id()), "", o.symbol(), o.side(), o.price(), expiredQty, 0);
    }

    @Override
    public void onTriggered(Order o) {
        // Not part of the replay contract: replay input has no stop orders.
    }

    private void begin(String event, String orderId, String counter, String symbol, Side side, long price, long qty,
                       long leaves) {
        StringBuilder b = line;
        b.setLength(0);
        b.append(++seq).append(',').append(event).append(',').append(orderId).append(',').append(counter)
                .append(',').append(symbol == null ? "" : symbol).append(',').append(side == null ? "" : side.name())
                .append(',');
        if (price != Price.NONE) {
            Price.appendTo(b, price);
        }
        b.append(',').append(qty).append(',').append(leaves).append('\n');
        try {
            out.append(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
