package org.opentrade.market.adapter.ws;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.market.adapter.http.CallerCheck;
import org.opentrade.market.app.MarketApiConfig;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.MarketListener;

/** Placeholder until the stream server lands: the board's listener and the /v1/stream/market route. */
public final class StreamWiring implements MarketListener {
    public StreamWiring(Vertx vertx, MarketBoard board, MarketApiConfig config) {
    }

    public void mount(Router router, CallerCheck callers) {
    }

    public void metrics(StringBuilder sb) {
    }

    public void close() {
    }

    @Override
    public void trade(Trade trade) {
    }

    @Override
    public void quote(String symbol) {
    }

    @Override
    public void depth(String symbol, long bookSeq, List<BookLevel> bids, List<BookLevel> asks) {
    }

    @Override
    public void bar(Bar bar) {
    }
}
