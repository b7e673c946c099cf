package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/** What callers receive: events numbered gap-free across commands, with the command's time and trace. */
class EventCollectorTest {
    private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void eventsAreNumberedGapFreeAcrossCommandsFromTheGivenSequence() {
        MatchingEngine engine = MatchingEngine.pure();
        EventCollector c = new EventCollector(41);
        Command sell = Command.limit(1, "a", "X", Side.SELL, TimeInForce.GTC, 1000, 100, 7).withTraceParent(TRACE);
        c.begin(sell);
        engine.process(sell, c);
        assertEquals(1, c.events().size());
        assertEquals(42, c.events().get(0).seq());

        Command buy = Command.limit(2, "b", "X", Side.BUY, TimeInForce.IOC, 1000, 150, 9);
        c.begin(buy);
        engine.process(buy, c);
        List<ExchangeEvent> es = c.events();
        assertEquals(List.of(EventType.ACCEPTED, EventType.TRADE, EventType.CANCELED),
                es.stream().map(ExchangeEvent::type).toList());
        assertEquals(List.of(43L, 44L, 45L), es.stream().map(ExchangeEvent::seq).toList());
        assertEquals(45, c.lastSeq());

        ExchangeEvent trade = es.get(1);
        assertEquals(2, trade.orderId());
        assertEquals(1, trade.counterOrderId());
        assertEquals("a", trade.counterAccount());
        assertEquals(1000, trade.price());
        assertEquals(100, trade.qty());
        assertEquals(50, trade.leavesQty());
        assertEquals(100, trade.filledQty());
        assertEquals(0, trade.counterLeavesQty());
        assertEquals(9, trade.timestamp());
        assertNull(trade.traceParent());
        assertFalse(trade.isFinal());
        assertTrue(es.get(2).isFinal());
        assertEquals(50, es.get(2).qty());
    }

    @Test
    void eventsCarryTheTimeAndTraceOfTheCommandThatCausedThem() {
        MatchingEngine engine = MatchingEngine.pure();
        EventCollector c = new EventCollector(0);
        engine.process(Command.limit(1, "a", "X", Side.SELL, TimeInForce.GTC, 1000, 100, 1), ExchangeListener.NONE);
        Command buy = Command.limit(2, "b", "X", Side.BUY, TimeInForce.GTC, 1000, 100, 5).withTraceParent(TRACE);
        c.begin(buy);
        engine.process(buy, c);
        for (ExchangeEvent e : c.events()) {
            assertEquals(5, e.timestamp());
            assertEquals(TRACE, e.traceParent());
        }
        assertTrue(c.events().get(1).isFinal(), "a trade that fills the taker ends it");
    }

    @Test
    void rejectionSetsTheCodeAndTheNextCommandClearsIt() {
        MatchingEngine engine = MatchingEngine.pure();
        EventCollector c = new EventCollector(0);
        Command bad = Command.cancel(9, "X", 0);
        c.begin(bad);
        engine.process(bad, c);
        assertEquals(ResultCode.UNKNOWN_ORDER, c.code());
        assertEquals(ResultCode.UNKNOWN_ORDER, c.events().get(0).resultCode());
        assertEquals(-4007, c.code().code());
        assertTrue(c.events().get(0).isFinal());

        Command good = Command.limit(1, "a", "X", Side.SELL, TimeInForce.GTC, 1000, 100, 0);
        c.begin(good);
        engine.process(good, c);
        assertEquals(ResultCode.OK, c.code());
        assertEquals(1, c.events().size(), "begin starts a fresh list");
        assertEquals(2, c.events().get(0).seq());
    }

    @Test
    void nullCommandIsRejectedAsMalformed() {
        EventCollector c = new EventCollector(0);
        c.begin(null);
        MatchingEngine.pure().process(null, c);
        assertEquals(ResultCode.MALFORMED_COMMAND, c.code());
        ExchangeEvent e = c.events().get(0);
        assertEquals(EventType.REJECTED, e.type());
        assertEquals(0, e.orderId());
    }

    @Test
    void resultCodesAreNegativeInTheirRangesAndFoundByNumber() {
        for (ResultCode rc : ResultCode.values()) {
            assertEquals(rc, ResultCode.ofCode(rc.code()));
            if (rc != ResultCode.OK) {
                assertTrue(rc.code() <= -4000 && rc.code() > -6000, rc + " " + rc.code());
            }
        }
        assertNull(ResultCode.ofCode(-1));
    }
}
