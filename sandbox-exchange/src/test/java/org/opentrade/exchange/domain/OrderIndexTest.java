package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/** The engine's open-addressing id index behaves like a HashMap through growth and deletions. */
class OrderIndexTest {

    private static Order order(long id) {
        return new Order(id, "a", "X", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, Price.NONE, 1, 0, 0, null);
    }

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        SplittableRandom r = new SplittableRandom(9);
        OrderIndex index = new OrderIndex(16);
        Map<Long, Order> expected = new HashMap<>();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            int op = r.nextInt(10);
            if (op < 5 || keys.isEmpty()) {
                // clustered ids collide and wrap around the table; a few extreme ones too
                long id = switch (r.nextInt(20)) {
                    case 0 -> Long.MIN_VALUE + r.nextInt(3);
                    case 1 -> Long.MAX_VALUE - r.nextInt(3);
                    case 2 -> -r.nextInt(1_000);
                    default -> r.nextInt(50_000);
                };
                if (!expected.containsKey(id)) {
                    Order o = order(id);
                    index.put(o);
                    expected.put(id, o);
                    keys.add(id);
                }
            } else if (op < 8) {
                int k = r.nextInt(keys.size());
                long id = keys.get(k);
                keys.set(k, keys.get(keys.size() - 1));
                keys.remove(keys.size() - 1);
                assertSame(expected.remove(id), index.remove(id));
            } else {
                long id = r.nextInt(50_000);
                assertSame(expected.get(id), index.get(id));
                assertEquals(expected.containsKey(id), index.contains(id));
            }
            assertEquals(expected.size(), index.size());
        }
        for (Map.Entry<Long, Order> e : expected.entrySet()) {
            assertSame(e.getValue(), index.get(e.getKey()));
        }
    }

    @Test
    void removingAnAbsentIdChangesNothing() {
        OrderIndex index = new OrderIndex();
        index.put(order(0));
        assertNull(index.remove(1));
        assertEquals(1, index.size());
        assertEquals(0, index.get(0).id());
    }

    @Test
    void clearEmptiesTheIndex() {
        OrderIndex index = new OrderIndex(4);
        for (long id = 0; id < 100; id++) {
            index.put(order(id));
        }
        index.clear();
        assertEquals(0, index.size());
        assertNull(index.get(5));
        index.put(order(5));
        assertEquals(5, index.get(5).id());
    }
}
