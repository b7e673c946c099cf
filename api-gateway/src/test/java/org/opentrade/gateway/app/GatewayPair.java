package org.opentrade.gateway.app;

import java.nio.file.Path;
import org.opentrade.gateway.adapter.redis.RedisServerProcess;

/**
 * Two gateways sharing one real Redis, as in distributed mode: keys, limits, usage and the change
 * feed in Redis, and one data dir for the session signing key (OPENTRADE_SESSION_KEY_FILE).
 */
final class GatewayPair implements AutoCloseable {
    final RedisServerProcess redis;
    final TestGateway a;
    final TestGateway b;

    private GatewayPair(RedisServerProcess redis, TestGateway a, TestGateway b) {
        this.redis = redis;
        this.a = a;
        this.b = b;
    }

    /** @param extraYaml config sections other than {@code gateway:} and {@code redis:}, e.g. {@code limits:} */
    static GatewayPair start(Path dir, String extraYaml) throws Exception {
        RedisServerProcess redis = RedisServerProcess.start();
        // This gateway section replaces TestGateway's, so it names the (shared) data dir again.
        String yaml = "gateway:\n  data_dir: " + dir.resolve("shared-data") + "\n  store: redis\n  gateways: 2\n"
                + "redis:\n  uri: " + redis.uri() + "\n" + extraYaml;
        TestGateway a = null;
        try {
            a = TestGateway.start(dir.resolve("a"), yaml, null, ApiGateway::configuredStores);
            TestGateway b = TestGateway.start(dir.resolve("b"), yaml, null, ApiGateway::configuredStores);
            return new GatewayPair(redis, a, b);
        } catch (Exception e) {
            if (a != null) {
                a.close();
            }
            redis.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            a.close();
            b.close();
        } finally {
            redis.close();
        }
    }
}
