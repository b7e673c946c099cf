package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.port.FixSessionOwners;
import org.opentrade.trade.port.FixSessionOwnersContract;

/**
 * FIX session names in a real redis-server, as distributed mode keeps them: every process of the instance, on
 * any host, holds the same names (a standby that took over on another host used to let anyone claim them).
 */
class RedisSessionOwnersIT extends FixSessionOwnersContract {
    static final int INSTANCE = 8;

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @RegisterExtension
    final ClaimedRedis claimed = new ClaimedRedis(REDIS, INSTANCE);

    @Override
    protected FixSessionOwners newOwners() {
        return new RedisSessionOwners(claimed.redis());
    }

    /** Another process (on another host, say) that took the instance over. */
    @Override
    protected FixSessionOwners nextProcess() {
        return new RedisSessionOwners(claimed.nextProcess());
    }

    @Test
    void namesOfADataDirectorysFileAreCarriedOverWithoutTakingAnyoneElsesOrTheBound() throws Exception {
        assertNull(newOwners().claim("TAKEN", "dev_redis"));
        Map<String, String> file = new HashMap<>();
        for (int i = 0; i < FixSessionOwners.MAX_NAMES_PER_DEVELOPER + 2; i++) {
            file.put("OLD_" + i, "dev_old");
        }
        file.put("TAKEN", "dev_file");

        FixSessionOwners owners = new RedisSessionOwners(claimed.redis()).carryOver(file);

        assertEquals("dev_old", owners.owner("OLD_21"), "a name the file held is its developer's, past the bound too");
        assertEquals(FixSessionOwners.MAX_NAMES_PER_DEVELOPER + 2, owners.names("dev_old"));
        assertEquals("dev_redis", owners.owner("TAKEN"), "a name Redis already gave someone stays theirs");
        assertTrue(owners.claim("OLD_3", "dev_squatter").contains("another developer's session"));
        assertTrue(owners.claim("NEW", "dev_old").contains("you already have"));
        new RedisSessionOwners(claimed.redis()).carryOver(file); // the next start carries the same file over again: no change
        assertEquals(FixSessionOwners.MAX_NAMES_PER_DEVELOPER + 2, owners.names("dev_old"));
    }

    @Test
    void aProcessWhoseClaimWasTakenOverRecordsNoName() throws Exception {
        FixSessionOwners owners = newOwners();
        assertEquals("+OK", REDIS.command("SET", claimed.key("owner"), "elsewhere|1|1|0123456789abcdef"));
        IOException refused = assertThrows(IOException.class, () -> owners.claim("FIRM_A", "dev_a"));
        assertTrue(refused.getMessage().contains("FENCED"), refused.getMessage());
        assertNull(owners.owner("FIRM_A"));
    }
}
