package org.opentrade.exchange.domain.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A standby's copy of the leader's durable consumers: replaced as a whole, invalid entries skipped, bounded. */
class DurableConsumersMirrorTest {
    @Test
    void theLeadersCheckpointsReplaceTheStandbysAndOnlyAChangeMarksThemDirty() {
        DurableConsumers c = new DurableConsumers(2);
        c.checkpoint("old-one", 3, 10);
        c.takeDirty();
        Map<String, Long> leader = new HashMap<>();
        leader.put("market-api", 7L);
        leader.put("bad name!", 8L);
        leader.put("trade-api", -1L);
        leader.put("trade-api-1", 9L);
        leader.put("fourth", 1L);
        c.mirror(leader);
        assertTrue(c.takeDirty());
        assertEquals(2, c.size(), "at most the configured number: " + c.view());
        assertTrue(c.view().containsKey("market-api") || c.view().containsKey("trade-api-1"));
        assertFalse(c.view().containsKey("old-one"), "replaced, not merged");
        assertFalse(c.view().containsKey("bad name!"));
        assertFalse(c.view().containsKey("trade-api"), "a negative seq is not a checkpoint");

        c.mirror(Map.of("market-api", 7L, "trade-api-1", 9L));
        c.takeDirty();
        c.mirror(Map.of("market-api", 7L, "trade-api-1", 9L));
        assertFalse(c.takeDirty(), "the same set again: nothing to save");
        assertEquals(7L, c.minCheckpoint());
    }
}
