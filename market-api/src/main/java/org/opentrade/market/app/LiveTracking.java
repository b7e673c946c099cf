package org.opentrade.market.app;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.logging.Logger;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.market.domain.MarketBoard;

/** The board as the feed's handler, plus readiness: tells {@code live} when a shard follows the live feed. */
final class LiveTracking implements FeedHandler {
    private static final Logger LOG = Logger.getLogger(LiveTracking.class.getName());
    private final MarketBoard board;
    private final IntConsumer live;

    LiveTracking(MarketBoard board, IntConsumer live) {
        this.board = board;
        this.live = live;
    }

    @Override
    public long position(int shard) {
        return board.position(shard);
    }

    @Override
    public void onEvent(ExchangeEvent event) {
        board.onEvent(event);
    }

    @Override
    public void onSnapshot(int shard, long seq, List<BookSnapshot> books) {
        board.onSnapshot(shard, seq, books);
    }

    @Override
    public void onLive(int shard, long seq) {
        live.accept(shard);
    }

    @Override
    public void onFailure(int shard, long seq, Throwable cause) {
        LOG.severe("market-api stopped applying shard " + shard + " at seq " + seq + ": " + cause);
    }
}
