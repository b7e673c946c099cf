package org.opentrade.exchange.domain.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaderRecordTest {

    @Test
    void theTextFormReadsBackEqual() {
        LeaderRecord r = new LeaderRecord(7, "node-a", "node-b");
        assertEquals("7/node-a/node-b", r.text());
        assertEquals(r, LeaderRecord.parse(r.text()));
        assertEquals(r.withoutInSync(), LeaderRecord.parse("7/node-a/-"));
        assertNull(LeaderRecord.parse(null));
    }

    @Test
    void onlyTheLastLeaderOrItsInSyncStandbyMayLead() {
        assertTrue(LeaderRecord.mayLead(null, "anyone"), "nobody led yet");
        LeaderRecord alone = LeaderRecord.takenBy("node-a", 3);
        assertTrue(LeaderRecord.mayLead(alone, "node-a"));
        assertFalse(LeaderRecord.mayLead(alone, "node-b"), "a standby not in sync lacks acknowledged commands");
        LeaderRecord synced = alone.withInSync("node-b");
        assertTrue(LeaderRecord.mayLead(synced, "node-a"));
        assertTrue(LeaderRecord.mayLead(synced, "node-b"));
        assertFalse(LeaderRecord.mayLead(synced, "node-c"));
        LeaderRecord taken = LeaderRecord.takenBy("node-b", 4);
        assertFalse(LeaderRecord.mayLead(taken, "node-a"), "a deposed leader's data may miss what the new one ran");
    }

    @Test
    void badRecordsAndNodeIdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LeaderRecord.parse("7/node-a"));
        assertThrows(IllegalArgumentException.class, () -> LeaderRecord.parse("x/node-a/-"));
        assertThrows(IllegalArgumentException.class, () -> LeaderRecord.parse("0/node-a/-"));
        assertThrows(IllegalArgumentException.class, () -> new LeaderRecord(1, "-", null));
        assertThrows(IllegalArgumentException.class, () -> new LeaderRecord(1, "a/b", null));
        assertThrows(IllegalArgumentException.class, () -> new LeaderRecord(1, "node-a", "node-a"));
    }
}
