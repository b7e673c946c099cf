package org.opentrade.trade.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The answers kept by Idempotency-Key: per account, and no account's traffic pushes out another's keys. */
class IdempotencyCacheTest {
    private static final long DAY = 24 * 3_600_000L;
    private static final String RESET = "POST /v1/account/reset {}";

    private static JsonObject body(String v) {
        return new JsonObject().put("v", v);
    }

    @Test
    void aRetryGetsTheFirstAnswerAndAnotherRequestWithTheKeyIsAConflict() {
        IdempotencyCache c = new IdempotencyCache(10, 100, DAY);
        c.put("acc-a", "k1", RESET, 200, body("first"), 0);

        IdempotencyCache.Answer again = c.get("acc-a", "k1", RESET, 1_000);
        assertNotNull(again);
        assertFalse(again.conflict());
        assertEquals(200, again.status());
        assertEquals("first", again.body().getString("v"));
        assertTrue(c.get("acc-a", "k1", "DELETE /v1/orders ", 1_000).conflict());
        assertNull(c.get("acc-b", "k1", RESET, 1_000), "keys are per account");
        assertNull(c.get("acc-a", "k1", RESET, DAY + 1), "kept for the TTL only");
    }

    @Test
    void oneAccountFloodingNewKeysNeverEvictsAnotherAccountsKeys() {
        IdempotencyCache c = new IdempotencyCache(1_000, 2_000, DAY);
        c.put("victim", "reset-2", RESET, 200, body("reset"), 0);
        for (int i = 0; i < 10_050; i++) {
            c.put("eve", "evict-" + i, "DELETE /v1/orders ", 200, body("none"), 1 + i);
        }
        assertNotNull(c.get("victim", "reset-2", RESET, 20_000), "the victim's retry still gets its first answer");
        assertEquals(1_000, c.size("eve"), "an account keeps at most its own bound");
        assertNotNull(c.get("eve", "evict-10049", "DELETE /v1/orders ", 20_000));
        assertNull(c.get("eve", "evict-0", "DELETE /v1/orders ", 20_000), "its own oldest went");
    }

    @Test
    void pastTheTotalTheAccountHoldingTheMostLosesItsOldest() {
        IdempotencyCache c = new IdempotencyCache(100, 150, DAY);
        for (int i = 0; i < 40; i++) {
            c.put("small", "s-" + i, RESET, 200, body("s"), i);
        }
        // Many accounts at 30 each: 40 + 4 x 30 = 160 > 150, so the largest (small, at 40) gives up to 30 first.
        for (int a = 0; a < 4; a++) {
            for (int i = 0; i < 30; i++) {
                c.put("many-" + a, "m-" + i, RESET, 200, body("m"), 100 + i);
            }
        }
        assertEquals(150, c.size());
        assertEquals(30, c.size("small"), "the largest account gave up its oldest, down to the others' size");
        assertNull(c.get("small", "s-9", RESET, 1_000));
        assertNotNull(c.get("small", "s-10", RESET, 1_000));
        for (int a = 0; a < 4; a++) {
            assertEquals(30, c.size("many-" + a), "the smaller accounts kept every key");
        }
    }

    @Test
    void expiredKeysFreeTheirRoomWhenTheirAccountStoresAgain() {
        IdempotencyCache c = new IdempotencyCache(10, 100, 1_000);
        for (int i = 0; i < 10; i++) {
            c.put("acc", "old-" + i, RESET, 200, body("o"), i);
        }
        c.put("acc", "new", RESET, 200, body("n"), 5_000);
        assertEquals(1, c.size("acc"));
        assertEquals(1, c.size());
    }
}
