package org.opentrade.gateway.adapter.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.gateway.port.Await;

/**
 * The {@link RedisConnections} a test opened, closed together after it (the adapters borrow them, so
 * closing an adapter leaves them open).
 */
final class ConnectionsInTest {

    /** Tests run on 2 shared cores: a little more room than the 200 ms production default. */
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private final RedisServerProcess server;
    private final List<RedisConnections> open = new ArrayList<>();

    ConnectionsInTest(RedisServerProcess server) {
        this.server = server;
    }

    RedisOptions options() {
        return RedisOptions.of(server.uri()).withCommandTimeout(COMMAND_TIMEOUT);
    }

    RedisConnections open() throws Exception {
        return open(options());
    }

    synchronized RedisConnections open(RedisOptions options) throws Exception {
        RedisConnections connections = Await.result(RedisConnections.connect(options));
        open.add(connections);
        return connections;
    }

    synchronized void closeAll() throws Exception {
        for (RedisConnections c : open) {
            Await.result(c.close());
        }
        open.clear();
    }
}
