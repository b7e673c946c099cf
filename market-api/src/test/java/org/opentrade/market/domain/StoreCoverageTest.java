package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * A trade pushed out of the ring of recent trades before the history writer stored it is in neither place:
 * the board tells a store read below the ring that would miss it, until the store has caught up.
 */
class StoreCoverageTest {
    private static final String SYM = Reference.SYMBOL;
    private static final long T = Reference.ms(java.time.LocalDateTime.of(2026, 1, 5, 10, 0));

    /** A ring of 3 recent trades. */
    private final MarketBoard board = new MarketBoard(List.of(Reference.instrument(1000)),
            MarketCalendar.shanghaiContinuous(), 100, 3, Reference.NO_HISTORY, 5, Runnable::run);

    private static ExchangeEvent trade(long seq) {
        return new ExchangeEvent(seq, 0, EventType.TRADE, 1000 + seq, "taker", 500 + seq, "maker", SYM, Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 1000, 100, 0, 100, 0, ResultCode.OK, T + seq, null);
    }

    @Test
    void aStoreReadBelowTheRingWaitsForTradesTheRingDroppedBeforeTheyWereStored() {
        board.startAt(0, 10);
        MarketBoard.SymbolState st = board.get(SYM);
        for (long seq = 11; seq <= 13; seq++) {
            board.onEvent(trade(seq));
        }
        assertTrue(board.storeCovers(st, 11), "nothing dropped from the ring: all before it was stored at start");
        board.onEvent(trade(14));
        board.onEvent(trade(15)); // 11 and 12 dropped from the ring, the store still at 10
        assertFalse(board.storeCovers(st, 13), "11 and 12 are in neither place");
        assertTrue(board.storeCovers(st, 11), "below 11 everything is stored");
        board.stored(0, 11);
        assertFalse(board.storeCovers(st, 13), "12 is not stored yet");
        board.stored(0, 12);
        assertTrue(board.storeCovers(st, 13));
        assertTrue(board.storeCovers(st, Long.MAX_VALUE), "a first page the ring cannot fill");
    }
}
