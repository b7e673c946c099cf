package org.opentrade.gateway.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.gateway.port.ReplayGuard;
import org.opentrade.gateway.port.ReplayGuardContract;

class RedisReplayGuardIT extends ReplayGuardContract {

    @RegisterExtension
    static final RedisServerExtension fixture = new RedisServerExtension();

    @Override
    protected ReplayGuard newGuard() throws Exception {
        fixture.server().flushAll();
        return new RedisReplayGuard(fixture.connections().open());
    }

    @Test
    void aSignatureSeenByOneGatewayIsAReplayOnAnother() throws Exception {
        ReplayGuard other = new RedisReplayGuard(fixture.connections().open());

        assertTrue(result(guard.firstUse("sig-shared", 60_000)));
        assertFalse(result(other.firstUse("sig-shared", 60_000)));
    }
}
