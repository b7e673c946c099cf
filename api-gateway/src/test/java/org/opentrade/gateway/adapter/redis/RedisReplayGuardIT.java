package org.opentrade.gateway.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.port.ReplayGuard;
import org.opentrade.gateway.port.ReplayGuardContract;

class RedisReplayGuardIT extends ReplayGuardContract {

    private static RedisServerProcess server;
    private static ConnectionsInTest connections;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServerProcess.start();
        connections = new ConnectionsInTest(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** The adapter first (the meter flushes on close), then the connections it borrowed. */
    @AfterEach
    @Override
    protected void closeGuard() throws Exception {
        try {
            super.closeGuard();
        } finally {
            connections.closeAll();
        }
    }

    @Override
    protected ReplayGuard newGuard() throws Exception {
        server.flushAll();
        return new RedisReplayGuard(connections.open());
    }

    @Test
    void aSignatureSeenByOneGatewayIsAReplayOnAnother() throws Exception {
        ReplayGuard other = new RedisReplayGuard(connections.open());

        assertTrue(result(guard.firstUse("sig-shared", 60_000)));
        assertFalse(result(other.firstUse("sig-shared", 60_000)));
    }
}
