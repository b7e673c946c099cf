package org.opentrade.bench.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.bench.trade.BenchSymbol;
import quickfix.Message;

class FixOrderPlanTest {
    private static final List<BenchSymbol> SYMBOLS = List.of(new BenchSymbol("600000.SH", 1045, 1, 10, 100),
            new BenchSymbol("300750.SZ", 18800, 1, 20, 100));
    private final FixOrderPlan plan = new FixOrderPlan(3, SYMBOLS, "r1-", FixOrderPlan.IOC);

    @Test
    void everySessionGetsEverySymbolInTurn() {
        Set<String> pairs = new HashSet<>();
        for (long i = 0; i < 6; i++) {
            pairs.add(plan.session(i) + "/" + plan.symbol(i).symbol());
        }
        assertEquals(6, pairs.size(), "3 sessions x 2 symbols, each pair once in the first 6 orders");
    }

    @Test
    void anOrderIsAnIocLimitBuyOfOneLotBelowTheMarketInsideTheBandOnTheTick() throws Exception {
        for (long i = 0; i < 60; i++) {
            Message m = plan.newOrder(i);
            BenchSymbol s = plan.symbol(i);
            assertEquals("D", m.getHeader().getString(35));
            assertEquals("r1-" + i, m.getString(11));
            assertEquals(s.symbol(), m.getString(55));
            assertEquals('1', m.getChar(54));
            assertEquals('2', m.getChar(40));
            assertEquals('3', m.getChar(59));
            assertEquals(100, m.getInt(38));
            long price = BenchSymbol.hundredths(m.getString(44));
            assertEquals(0, price % s.tick());
            assertTrue(price >= s.bandLow() && price <= s.reference() * 92 / 100, "price " + price + " of " + s);
        }
    }

    @Test
    void theIndexIsReadBackFromTheClOrdIdAndOtherIdsAreNotOurs() {
        for (long i : new long[] {0, 7, 31_999, 1_234_567_890_123L}) {
            assertEquals(i, plan.index(plan.clOrdId(i)));
        }
        assertEquals(-1, plan.index("r1-"));
        assertEquals(-1, plan.index("r2-5"), "another run's");
        assertEquals(-1, plan.index("r1-5x"));
        assertEquals(-1, plan.index(null));
        assertEquals(-1, plan.index(plan.probeClOrdId(0)));
        assertTrue(plan.isProbe(plan.probeClOrdId(2)));
        assertFalse(plan.isProbe(plan.clOrdId(2)));
    }

    @Test
    void aPrefixEndingInADigitIsRefusedSinceItsIdsWouldReadAsOtherIndexes() {
        assertThrows(IllegalArgumentException.class, () -> new FixOrderPlan(1, SYMBOLS, "run1", FixOrderPlan.IOC));
    }
}
