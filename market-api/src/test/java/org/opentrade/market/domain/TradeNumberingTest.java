package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * The board numbers a symbol's trades by the exchange's count of all time, carried on from the book
 * snapshot it loaded: the trades a snapshot already counted (replayed after a restart from an older
 * store position) carry no number, every trade after it the next one, and the numbered ones it holds
 * are exactly those, so a trades channel opened now can vouch for them.
 */
class TradeNumberingTest {
    private static final String SYM = Reference.SYMBOL;
    private static final long T = Reference.ms(java.time.LocalDateTime.of(2026, 1, 5, 10, 0));


    private final MarketBoard board = new MarketBoard(List.of(Reference.instrument(1000)),
            MarketCalendar.shanghaiContinuous(), 100, 10, Reference.NO_HISTORY, 5, Runnable::run);
    /** The number the board gave each trade applied by {@link #apply} (0: none). */
    private final List<Long> numbers = new ArrayList<>();

    /** Applies {@code e} and notes the number its trade got, as the stream wiring reads it on the listener call. */
    private void apply(ExchangeEvent e) {
        board.onEvent(e);
        numbers.add(board.get(SYM).lastTradeNumber());
    }

    private static ExchangeEvent trade(long seq, long price) {
        return new ExchangeEvent(seq, 0, EventType.TRADE, 1000 + seq, "taker", 500 + seq, "maker", SYM, Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, price, 100, 0, 100, 0, ResultCode.OK, T + seq, null);
    }

    private static BookSnapshot book(long seq, long allTrades) {
        return book(seq, allTrades, 0);
    }

    /** The exchange's snapshot at {@code seq}: {@code allTrades} of all time, {@code dayTrades} of them today. */
    private static BookSnapshot book(long seq, long allTrades, long dayTrades) {
        return new BookSnapshot(0, seq, SYM, List.of(), List.of(), List.<OrderView>of(), List.of(), 1000, 1000, 1000,
                1000, 1000, 0, 0, dayTrades, T, allTrades);
    }

    @Test
    void tradesAfterTheSnapshotFollowItsCountAndThoseItCountedAreNumberedBackFromItOnceItIsPassed() {
        board.startAt(0, 10); // the store's position: events after 10 are replayed
        board.loadBooks(List.of(book(14, 40)), false); // the exchange's snapshot at 14: 40 trades so far
        assertEquals(40, board.get(SYM).tradeCount());
        apply(trade(12, 1001)); // counted by the snapshot already
        apply(trade(14, 1002));
        assertEquals(List.of(), board.get(SYM).numberedTrades(10), "not yet known to be the snapshot's last");
        apply(trade(15, 1003));
        apply(trade(17, 1004));
        assertEquals(List.of(0L, 0L, 41L, 42L), numbers, "published as they come: only those after the snapshot");
        List<Trade> numbered = board.get(SYM).numberedTrades(10);
        assertEquals(List.of(12L, 14L, 15L, 17L), numbered.stream().map(Trade::seq).toList(),
                "the feed has no gap: 12 and 14 are numbers 39 and 40, the snapshot's last two");
        assertEquals(List.of(17L), board.get(SYM).numberedTrades(1).stream().map(Trade::seq).toList());
    }

    @Test
    void aSnapshotAfterAGapRestartsTheNumbersAndForgetsWhatItCouldVouchFor() {
        board.startAt(0, 0);
        board.loadBooks(List.of(book(0, 0)), true);
        apply(trade(1, 1001));
        apply(trade(2, 1002));
        assertEquals(List.of(1L, 2L), numbers);
        board.onSnapshot(0, 50, List.of(book(50, 9))); // the exchange no longer held 3..50: 7 trades never seen
        assertEquals(List.of(), board.get(SYM).numberedTrades(10));
        apply(trade(51, 1003));
        assertEquals(List.of(1L, 2L, 10L), numbers);
        assertEquals(List.of(51L), board.get(SYM).numberedTrades(10).stream().map(Trade::seq).toList());
    }

    @Test
    void withoutTheExchangesCountNothingIsNumbered() {
        board.startAt(0, 0);
        board.loadBooks(List.of(book(0, -1)), true); // an exchange that does not keep the count
        apply(trade(1, 1001));
        assertEquals(List.of(0L), numbers);
        assertEquals(-1, board.get(SYM).tradeCount());
        assertEquals(List.of(), board.get(SYM).numberedTrades(10));
    }

    @Test
    void storedTradesRestoredAtStartAreNumberedOnlyWhenTheyAreTheExchangesWholeDay() {
        board.restore(SYM, null, List.of(new Trade(0, 3, SYM, T + 3, 1000, 100, Side.BUY),
                new Trade(0, 4, SYM, T + 4, 1000, 100, Side.BUY)));
        board.startAt(0, 5);
        board.loadBooks(List.of(book(5, 2)), false);
        assertEquals(List.of(), board.get(SYM).numberedTrades(10), "restored from the store: no number");
        apply(trade(6, 1001));
        assertEquals(List.of(3L), numbers);
        assertEquals(List.of(6L), board.get(SYM).numberedTrades(10).stream().map(Trade::seq).toList(),
                "the exchange's day had 0 trades: the restored two are not today's, so not vouched for");

        MarketBoard other = new MarketBoard(List.of(Reference.instrument(1000)), MarketCalendar.shanghaiContinuous(),
                100, 10, Reference.NO_HISTORY, 5, Runnable::run);
        other.restore(SYM, null, List.of(new Trade(0, 3, SYM, T + 3, 1000, 100, Side.BUY),
                new Trade(0, 4, SYM, T + 4, 1000, 100, Side.BUY)));
        other.startAt(0, 4);
        other.loadBooks(List.of(book(5, 7, 3)), false); // 7 of all time, 3 today: the 2 stored and 5
        other.onEvent(trade(5, 1001));
        other.onEvent(trade(6, 1002));
        assertEquals(8, other.get(SYM).lastTradeNumber());
        assertEquals(List.of(3L, 4L, 5L, 6L), other.get(SYM).numberedTrades(10).stream().map(Trade::seq).toList(),
                "the store held the whole day: numbers 5 to 8");
    }

    @Test
    void aSnapshotCountingFewerTradesThanAppliedIsARenumberingTheListenerIsToldOf() {
        List<String> renumbered = new ArrayList<>();
        board.setListener(new org.opentrade.market.port.MarketListener() {
            @Override
            public void trade(Trade trade) {
            }

            @Override
            public void quote(String symbol) {
            }

            @Override
            public void depth(String symbol, long bookSeq, List<org.opentrade.exchange.model.BookLevel> bids,
                              List<org.opentrade.exchange.model.BookLevel> asks) {
            }

            @Override
            public void bar(Bar bar) {
            }

            @Override
            public void tradesRenumbered(String symbol, long count) {
                renumbered.add(symbol + "@" + count);
            }
        });
        board.startAt(0, 0);
        board.loadBooks(List.of(book(0, 0)), true);
        apply(trade(1, 1001));
        apply(trade(2, 1002));
        board.onSnapshot(0, 50, List.of(book(50, 9))); // more than applied: trades this board missed, no renumbering
        board.onSnapshot(0, 60, List.of(book(60, 9))); // as many: none either
        assertEquals(List.of(), renumbered);
        board.onSnapshot(0, 3, List.of(book(3, 1))); // the exchange's data was reset: its count starts over
        assertEquals(List.of(SYM + "@1"), renumbered);
        apply(trade(4, 1003));
        assertEquals(List.of(1L, 2L, 2L), numbers, "the next trade is the new count's next number");
    }
}
