package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.adapter.embedded.EmbeddedKeyRegistry;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Scope;
import org.opentrade.gateway.port.KeyRegistry;

class RevokedKeySweepTest {
    static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    @Test
    void deletesOnlyKeysRevokedLongerThanTheRetentionAndWorksOffABacklogOverRuns() throws Exception {
        KeyRegistry registry = EmbeddedKeyRegistry.open(dir);
        long now = 100 * DAY;
        for (int i = 0; i < 7; i++) { // revoked 40 to 46 days ago
            put(registry, "old-" + i, KeyStatus.REVOKED, now - (40 + i) * DAY);
        }
        put(registry, "recent", KeyStatus.REVOKED, now - 29 * DAY);
        put(registry, "live", KeyStatus.ACTIVE, 0);
        put(registry, "killed", KeyStatus.KILLED, 0);
        put(registry, "untimed", KeyStatus.REVOKED, 0); // revoked before times were kept: the count bound holds it

        RevokedKeySweep sweep = new RevokedKeySweep(registry, Duration.ofDays(30), 2, 2);
        assertEquals(4, result(sweep.run(now)), "one run deletes at most batches x batch size");
        assertEquals(3, result(sweep.run(now)));
        assertEquals(0, result(sweep.run(now)));

        for (int i = 0; i < 7; i++) {
            assertTrue(result(registry.key("old-" + i)).isEmpty(), "old-" + i);
        }
        for (String kept : List.of("recent", "live", "killed", "untimed")) {
            assertTrue(result(registry.key(kept)).isPresent(), kept);
        }
        assertEquals(1, result(sweep.run(now + 2 * DAY)), "the recent one, once past the retention");
        assertTrue(result(registry.key("recent")).isEmpty());
        result(registry.close());
    }

    private static void put(KeyRegistry registry, String id, KeyStatus status, long revokedAt) throws Exception {
        result(registry.putKey(new ApiKey(id, "dev-1", "", KeyType.SECRET, Set.of(Scope.MARKET_READ), "free",
                List.of("hash-" + id), 0, null, List.of(), 0, status, 1000, revokedAt)));
    }
}
