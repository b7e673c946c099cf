package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The per-account ClOrdID map stays within its bound whatever a client sends, dropping the least recently used. */
class FixClOrdIdMapTest {
    @Test
    void endlessNewClOrdIdsNeverGrowThePastTheBound() {
        ClOrdIdMap m = new ClOrdIdMap(100);
        for (int i = 0; i < 100_000; i++) {
            m.put("c" + i, "o" + (i % 7));
            assertEquals(Math.min(i + 1, 100), m.size());
        }
        assertEquals("o" + (99_999 % 7), m.orderId("c99999"));
        assertNull(m.orderId("c0"), "the oldest went first");
    }

    @Test
    void aClOrdIdInUseIsKeptOverOlderUnusedOnes() {
        ClOrdIdMap m = new ClOrdIdMap(3);
        m.put("a", "1");
        m.put("b", "2");
        m.put("c", "3");
        assertEquals("1", m.orderId("a")); // a is now the most recently used
        m.put("d", "4");
        assertNull(m.orderId("b"));
        assertEquals("1", m.orderId("a"));
        assertEquals("4", m.orderId("d"));
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClOrdIdMap(0));
    }
}
