package org.opentrade.exchange.app;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.opentrade.exchange.adapter.csv.ReplayCommandParser;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.domain.RandomCommandStream;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;

/** Writes engine commands as replay-contract input rows, and runs the tool in process on text. */
public final class ReplayCsv {
    private ReplayCsv() {
    }

    /** One input row for a NEW (limit or market), CANCEL or REPLACE command. */
    public static String row(Command c) {
        return switch (c.type()) {
            case NEW_ORDER -> "NEW," + c.orderId() + "," + c.account() + "," + c.symbol() + "," + c.side() + ","
                    + c.orderType() + "," + c.tif() + ","
                    + (c.orderType() == OrderType.MARKET ? "" : Price.format(c.price())) + "," + c.qty();
            case CANCEL -> "CANCEL," + c.orderId() + ",," + c.symbol() + ",,,,,";
            case REPLACE -> "REPLACE," + c.orderId() + ",," + c.symbol() + ",,,," + Price.format(c.price()) + ","
                    + c.qty();
            default -> throw new IllegalArgumentException("no replay row for " + c);
        };
    }

    /** A replay input file: the header, then {@code rows} commands of a pure random stream. */
    public static String randomInput(long seed, int rows) {
        StringBuilder sb = new StringBuilder(rows * 48);
        sb.append(ReplayCommandParser.HEADER).append('\n');
        RandomCommandStream stream = RandomCommandStream.pure(seed);
        for (int i = 0; i < rows; i++) {
            sb.append(row(stream.next())).append('\n');
        }
        return sb.toString();
    }

    /** Runs the replay tool in process on text. */
    public static String replay(String input, OrderBook.Factory books) {
        StringWriter out = new StringWriter();
        try {
            ReplayTool.run(new StringReader(input), out, books);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
