package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.market.adapter.json.MarketJson;
import org.opentrade.market.port.MarketListener;

/**
 * A crossing limit order is in the feed as accepted at its full size, then traded down. A feed batch can
 * end between the two (here every event is its own batch), and the book between is crossed, a state the
 * engine never has: no depth diff shows it; the settled book follows.
 */
class CrossedDepthTest {
    private static final String SYM = Reference.SYMBOL;
    private static final long T = Reference.ms(java.time.LocalDateTime.of(2026, 1, 5, 10, 0));


    private static ExchangeEvent accepted(long seq, long orderId, Side side, long price, long qty) {
        return new ExchangeEvent(seq, 0, EventType.ACCEPTED, orderId, "acc-" + orderId, 0, null, SYM, side,
                OrderType.LIMIT, TimeInForce.GTC, price, qty, qty, 0, 0, ResultCode.OK, T + seq, null);
    }

    private static ExchangeEvent trade(long seq, long taker, long maker, long price, long qty, long takerLeaves,
                                       long makerLeaves) {
        return new ExchangeEvent(seq, 0, EventType.TRADE, taker, "acc-" + taker, maker, "acc-" + maker, SYM, Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, price, qty, takerLeaves, qty, makerLeaves, ResultCode.OK, T + seq, null);
    }

    /**
     * In the A-share opening call auction orders collect without matching: a crossed book is the book there,
     * and its depth is shown (holding it back froze depth until the uncross).
     */
    @Test
    void aCrossedBookInTheCallAuctionIsShown() {
        long auction = Reference.ms(java.time.LocalDateTime.of(2026, 1, 5, 9, 20));
        MarketBoard board = new MarketBoard(List.of(Reference.instrument(1000)), new MarketCalendar(
                MarketCalendar.Kind.A_SHARE, java.time.ZoneId.of("Asia/Shanghai"), java.time.LocalTime.of(15, 0)),
                100, 10, Reference.NO_HISTORY, 5, Runnable::run);
        List<String> shown = new ArrayList<>();
        TreeMap<Long, Long> bids = new TreeMap<>();
        board.setListener(depthOnly((bidDiff, askDiff) -> {
            apply(bids, bidDiff);
            shown.add(SYM);
        }));
        board.startAt(0, 0);
        board.loadBooks(List.of(new BookSnapshot(0, 0, SYM, List.of(), List.of(), List.<OrderView>of(), List.of(), 1000,
                1000, 1000, 1000, 1000, 0, 0, 0, auction, 0)), true);
        board.onEvent(at(accepted(1, 1, Side.SELL, 1000, 300), auction));
        board.onEvent(at(accepted(2, 2, Side.BUY, 1001, 500), auction)); // crosses: the auction collects it
        assertEquals(Map.of(1001L, 500L), bids, "the crossed auction book is shown");
        assertEquals(2, shown.size());
        // The uncross is a run of trades stamped with the auction's time; the states between are not shown.
        board.onEvent(at(accepted(3, 3, Side.SELL, 1001, 100), auction)); // locked at 1001: still the auction's
        assertEquals(3, shown.size());
        long uncross = Reference.ms(java.time.LocalDateTime.of(2026, 1, 5, 9, 25));
        board.onEvent(at(trade(4, 2, 1, 1000, 300, 200, 0), uncross)); // bid 1001x200 against 1001x100: locked
        assertEquals(3, shown.size(), "the half-uncrossed book is held");
        board.onEvent(at(trade(5, 2, 3, 1001, 100, 100, 0), uncross));
        assertEquals(4, shown.size());
        assertEquals(Map.of(1001L, 100L), bids, "the uncrossed book");
    }

    private static ExchangeEvent at(ExchangeEvent e, long time) {
        return new ExchangeEvent(e.seq(), e.shard(), e.type(), e.orderId(), e.account(), e.counterOrderId(),
                e.counterAccount(), e.symbol(), e.side(), e.orderType(), e.tif(), e.price(), e.qty(), e.leavesQty(),
                e.filledQty(), e.counterLeavesQty(), e.resultCode(), time, e.traceParent());
    }

    @Test
    void noDepthDiffShowsTheCrossedBookBetweenAnOrdersAcceptanceAndItsTrades() {
        MarketBoard board = new MarketBoard(List.of(Reference.instrument(1000)), MarketCalendar.shanghaiContinuous(),
                100, 10, Reference.NO_HISTORY, 5, Runnable::run);
        TreeMap<Long, Long> bids = new TreeMap<>();
        TreeMap<Long, Long> asks = new TreeMap<>();
        List<String> shown = new ArrayList<>();
        board.setListener(depthOnly((bidDiff, askDiff) -> {
            apply(bids, bidDiff);
            apply(asks, askDiff);
            shown.add(bids + " | " + asks);
            if (!bids.isEmpty() && !asks.isEmpty()) {
                assertTrue(bids.lastKey() < asks.firstKey(), "crossed or locked: " + shown);
            }
        }));
        board.startAt(0, 0);
        board.loadBooks(List.of(new BookSnapshot(0, 0, SYM, List.of(), List.of(), List.<OrderView>of(), List.of(), 1000,
                1000, 1000, 1000, 1000, 0, 0, 0, T, 0)), true);
        board.onEvent(accepted(1, 1, Side.SELL, 1000, 300));
        board.onEvent(accepted(2, 2, Side.SELL, 1002, 100));
        board.onEvent(accepted(3, 3, Side.BUY, 1001, 500)); // crosses 1000: accepted at 500 first
        board.onEvent(trade(4, 3, 1, 1000, 300, 200, 0));
        assertEquals(Map.of(1001L, 200L), bids, "the settled book: " + shown);
        assertEquals(Map.of(1002L, 100L), asks, "the settled book: " + shown);
    }

    /**
     * The quote's bid and ask, and the REST depth, come from the same book: between a crossing order's acceptance and
     * its trades they showed it crossed (bid 10.01 over ask 10.00, a quote the engine never had), on the quotes
     * stream at every batch that ended there and on any REST read until the trades came.
     */
    @Test
    void noQuoteShowsTheCrossedBookBetweenAnOrdersAcceptanceAndItsTrades() {
        MarketBoard board = new MarketBoard(List.of(Reference.instrument(1000)), MarketCalendar.shanghaiContinuous(),
                100, 10, Reference.NO_HISTORY, 5, Runnable::run);
        List<String> quoted = new ArrayList<>();
        board.setListener(new MarketListener() {
            @Override
            public void trade(Trade trade) {
            }

            @Override
            public void quote(String symbol) {
                JsonObject q = MarketJson.quote(board, board.get(symbol), T);
                quoted.add(q.getString("bid") + "x" + q.getLong("bid_size") + " | " + q.getString("ask") + "x"
                        + q.getLong("ask_size"));
            }

            @Override
            public void depth(String symbol, long bookSeq, List<BookLevel> bidDiff, List<BookLevel> askDiff) {
            }

            @Override
            public void bar(Bar bar) {
            }
        });
        board.startAt(0, 0);
        board.loadBooks(List.of(new BookSnapshot(0, 0, SYM, List.of(), List.of(), List.<OrderView>of(), List.of(), 1000,
                1000, 1000, 1000, 1000, 0, 0, 0, T, 0)), true);
        MarketBoard.SymbolState st = board.get(SYM);
        board.onEvent(accepted(1, 1, Side.SELL, 1000, 300));
        board.onEvent(accepted(2, 2, Side.SELL, 1002, 100));
        board.onEvent(accepted(3, 3, Side.BUY, 1001, 500)); // crosses 1000: accepted at 500 first; the batch ends
        assertEquals("10.01x500", levels(st.book().bids(1)), "the replica holds the crossed book");
        assertEquals("nullx0 | 10.00x300", quoted.get(quoted.size() - 1), "the quote of the last uncrossed book");
        assertEquals("", levels(board.shownBids(st, 5)), "REST depth: the last uncrossed book");
        assertEquals("10.00x300 10.02x100", levels(board.shownAsks(st, 5)));
        assertEquals("10.00x300", levels(board.shownAsks(st, 1)));
        board.onEvent(trade(4, 3, 1, 1000, 300, 200, 0));
        assertEquals(List.of("nullx0 | nullx0", "nullx0 | 10.00x300", "nullx0 | 10.00x300", "nullx0 | 10.00x300",
                "10.01x200 | 10.02x100"), quoted, "every quote");
        assertEquals("10.01x200", levels(board.shownBids(st, 5)), "the settled book");
        assertEquals("10.02x100", levels(board.shownAsks(st, 5)));
    }

    private static String levels(List<BookLevel> levels) {
        return String.join(" ", levels.stream().map(l -> MarketJson.decimal(l.price()) + "x" + l.qty()).toList());
    }

    /** A listener that hands each depth diff to {@code depth} and ignores the rest. */
    private static MarketListener depthOnly(java.util.function.BiConsumer<List<BookLevel>, List<BookLevel>> depth) {
        return new MarketListener() {
            @Override
            public void trade(Trade trade) {
            }

            @Override
            public void quote(String symbol) {
            }

            @Override
            public void depth(String symbol, long bookSeq, List<BookLevel> bidDiff, List<BookLevel> askDiff) {
                depth.accept(bidDiff, askDiff);
            }

            @Override
            public void bar(Bar bar) {
            }
        };
    }

    private static void apply(TreeMap<Long, Long> side, List<BookLevel> diff) {
        for (BookLevel l : diff) {
            if (l.qty() == 0) {
                side.remove(l.price());
            } else {
                side.put(l.price(), l.qty());
            }
        }
    }
}
