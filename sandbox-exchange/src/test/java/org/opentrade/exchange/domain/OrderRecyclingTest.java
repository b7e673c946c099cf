package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/** The engine reuses finished Order objects, but never while a command that finished them runs. */
class OrderRecyclingTest {
    private static final String S = "600000.SH";

    /** Keeps the Order objects it is shown — on purpose, to check identity (real listeners copy). */
    private static final class Identities implements ExchangeListener {
        final List<Order> accepted = new ArrayList<>();
        final List<Order> makersAfterTrade = new ArrayList<>();

        @Override
        public void onAccepted(Order o) {
            accepted.add(o);
        }

        @Override
        public void onTrade(Order taker, Order maker, long price, long qty) {
            makersAfterTrade.add(maker);
        }
    }

    private static void send(MatchingEngine e, Identities l, Command c) {
        e.process(c, l);
    }

    @Test
    void aFilledMakerIsReusedByALaterOrderWithNothingCarriedOver() {
        MatchingEngine engine = MatchingEngine.pure();
        Identities l = new Identities();
        send(engine, l, Command.limit(1, "alice", S, Side.SELL, TimeInForce.GTC, 1000, 100, 0));
        Order alice = l.accepted.get(0);
        send(engine, l, Command.limit(2, "bob", S, Side.BUY, TimeInForce.GTC, 1000, 100, 0));
        assertSame(alice, l.makersAfterTrade.get(0));
        assertEquals(0, alice.leaves(), "the maker is reported filled, with its own fields, during the trade");

        send(engine, l, Command.limit(3, "carol", S, Side.BUY, TimeInForce.GTC, 990, 300, 0));
        Order carol = l.accepted.get(2);
        assertTrue(carol == alice || carol == l.accepted.get(1), "a finished object is reused");
        assertEquals(3, carol.id());
        assertEquals("carol", carol.account());
        assertEquals(0, carol.filled());
        assertEquals(300, carol.leaves());
        assertSame(carol, engine.order(3));
        assertEquals(1, engine.liveOrders());
    }

    @Test
    void anOrderThatIsStillRestingIsNeverReused() {
        MatchingEngine engine = MatchingEngine.pure();
        Identities l = new Identities();
        send(engine, l, Command.limit(1, "alice", S, Side.SELL, TimeInForce.GTC, 1000, 500, 0));
        for (long id = 2; id < 200; id++) {
            send(engine, l, Command.limit(id, "bob", S, Side.BUY, TimeInForce.IOC, 1000, 1, 0));
            send(engine, l, Command.cancel(id, S, 0)); // unknown by now: the IOC finished
        }
        Order alice = l.accepted.get(0);
        for (int i = 1; i < l.accepted.size(); i++) {
            assertNotSame(alice, l.accepted.get(i));
        }
        assertEquals(500 - 198, engine.order(1).leaves());
    }

    @Test
    void aReplacedOrderThatRestsAgainKeepsItsObject() {
        MatchingEngine engine = MatchingEngine.pure();
        Identities l = new Identities();
        send(engine, l, Command.limit(1, "alice", S, Side.BUY, TimeInForce.GTC, 1000, 500, 0));
        Order alice = l.accepted.get(0);
        send(engine, l, Command.replace(1, S, 1001, 600, 0));
        send(engine, l, Command.limit(2, "bob", S, Side.SELL, TimeInForce.GTC, 1005, 100, 0));
        assertSame(alice, engine.order(1));
        assertNotSame(alice, l.accepted.get(1));
        assertEquals(1001, engine.order(1).price());
    }
}
