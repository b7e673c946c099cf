package org.opentrade.sdk.examples;

import java.io.PrintStream;
import org.opentrade.sdk.Credentials;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.model.Bar;
import org.opentrade.sdk.model.Depth;
import org.opentrade.sdk.model.KlineInterval;
import org.opentrade.sdk.model.Quote;

/**
 * Market data with the Java SDK: instruments, a quote, the book, and the last bars.
 * Run: {@code OPENTRADE_URL=http://localhost:8080 OPENTRADE_KEY_ID=... OPENTRADE_SECRET=... java ... MarketDataExample}
 */
public final class MarketDataExample {
    /** What the example saw, for its test. */
    public record Result(int instruments, Quote quote, Depth depth, int bars) { }

    public static Result run(OpenTrade ot, String symbol, PrintStream out) {
        int instruments = ot.call(() -> ot.market().listInstruments()).getItems().size();
        out.println(instruments + " instruments");
        Quote q = ot.call(() -> ot.market().getQuotes(symbol)).getItems().get(0);
        out.println(symbol + " last " + q.getLast() + " bid " + q.getBid() + " ask " + q.getAsk());
        Depth d = ot.call(() -> ot.market().getDepth(symbol, 5));
        out.println("book: " + d.getBids().size() + " bid levels, " + d.getAsks().size() + " ask levels");
        int bars = 0;
        for (Bar b : ot.bars(symbol, KlineInterval.MINUTE_1, null, null)) { // every 1-minute bar, page by page
            if (bars++ < 3) {
                out.println(b.getTime() + " O " + b.getOpen() + " H " + b.getHigh() + " L " + b.getLow() + " C " + b.getClose());
            }
        }
        out.println(bars + " bars of 1m");
        return new Result(instruments, q, d, bars);
    }

    public static void main(String[] args) {
        OpenTrade ot = OpenTrade.builder().baseUrl(System.getenv().getOrDefault("OPENTRADE_URL", "http://localhost:8080"))
                .credentials(Credentials.secretKey(System.getenv("OPENTRADE_KEY_ID"), System.getenv("OPENTRADE_SECRET")))
                .build();
        run(ot, args.length > 0 ? args[0] : "600000.SH", System.out);
    }
}
