package org.opentrade.trade.adapter.redis;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A connection to a test's {@link RedisServer} that claimed one instance's key space, as trade-api holds it in
 * distributed mode (every write fenced): the server emptied and the connection made before each test, closed after.
 * Register it as an instance field beside the class's static {@link RedisServer}.
 */
public final class ClaimedRedis implements BeforeEachCallback, AfterEachCallback {
    private final RedisServer server;
    private final int instance;
    private TradeRedis redis;

    public ClaimedRedis(RedisServer server, int instance) {
        this.server = server;
        this.instance = instance;
    }

    /** The instance's options: its key space under the tests' prefix. */
    public RedisStoreOptions options() {
        return RedisStoreOptions.of(server.uri(), instance).withKeyPrefix("it:");
    }

    /** The claimed connection of this test. */
    public TradeRedis redis() {
        return redis;
    }

    /**
     * The next process of the instance (on another host, say): this connection gives its claim back, a new one
     * claims the instance and is {@link #redis} from now on.
     */
    public TradeRedis nextProcess() {
        redis.close();
        redis = claim();
        return redis;
    }

    /** The instance's key {@code name} as Redis knows it. */
    public String key(String name) {
        return options().key(name);
    }

    private TradeRedis claim() {
        TradeRedis r = TradeRedis.connect(options());
        try {
            r.claimInstance(Duration.ofSeconds(5), Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server.flushAll();
        redis = claim();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
