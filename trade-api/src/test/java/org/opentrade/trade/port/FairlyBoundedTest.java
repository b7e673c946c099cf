package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class FairlyBoundedTest {

    @Test
    void pastTheTotalTheOldestOfTheAccountHoldingTheMostGoesTiesToTheIdThatSortsLast() {
        FairlyBounded<String> b = new FairlyBounded<>(4, 4);
        b.put("a", "1", "a1");
        b.put("b", "1", "b1");
        b.put("a", "2", "a2");
        b.put("b", "2", "b2");

        b.put("c", "1", "c1"); // a and b hold two each: b's oldest goes (b sorts after a)

        assertEquals(List.of("a1", "a2", "b2", "c1"), b.values());
        b.put("c", "2", "c2"); // a and c hold two each: c's oldest goes
        assertEquals(List.of("a1", "a2", "b2", "c2"), b.values());
        b.put("b", "3", "b3"); // a and b hold two each: b's oldest goes, its newest stays
        assertEquals(List.of("a1", "a2", "c2", "b3"), b.values());
        b.put("d", "1", "d1"); // a alone holds the most
        assertEquals(List.of("a2", "c2", "b3", "d1"), b.values());
        assertEquals(4, b.size());
    }

    @Test
    void eachAccountKeepsItsNewestUpToItsOwnBound() {
        FairlyBounded<String> b = new FairlyBounded<>(2, 100);
        for (int i = 0; i < 5; i++) {
            b.put("a", "k" + i, "a" + i);
        }
        b.put("b", "k", "b");
        assertEquals(List.of("a3", "a4", "b"), b.values());
        assertEquals(2, b.size("a"));
        assertNull(b.get("a", "k0"));
    }

    @Test
    void pastTheWeightTheOldestOfTheHeaviestAccountGoesAndAKeyPutAgainIsTheNewest() {
        FairlyBounded<String> b = new FairlyBounded<>(10, 10, 10, String::length);
        b.put("light", "1", "xx");
        b.put("light", "2", "yy");
        b.put("heavy", "1", "zzzzz");
        b.put("light", "1", "xx"); // again: now the newest of light

        b.put("heavy", "2", "www"); // 2 + 2 + 5 + 3 = 12: heavy (8) loses its oldest

        assertEquals(List.of("yy", "xx", "www"), b.values());
        assertEquals(7, b.weight());
        b.dropOldestWhile("light", v -> v.equals("yy"));
        assertEquals(List.of("xx", "www"), b.values());
    }
}
