package org.opentrade.gateway.adapter.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} per test class, and the connections its tests open, closed after each
 * test. JUnit runs this extension's after-each step after the class's {@code @AfterEach} methods, so
 * the adapters are closed (the meter flushes) before the connections they borrow.
 * Use as {@code @RegisterExtension static final RedisServerExtension fixture = new RedisServerExtension();}
 */
final class RedisServerExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private RedisServerProcess server;
    private ConnectionsInTest connections;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServerProcess.start();
        connections = new ConnectionsInTest(server);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        connections.closeAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        server.close();
    }

    RedisServerProcess server() {
        return server;
    }

    ConnectionsInTest connections() {
        return connections;
    }
}
