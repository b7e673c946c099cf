package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.adapter.redis.RedisServerProcess;

/** Two gateways on one real Redis: a credential change made on one ends the streams held by the other. */
class StreamRevokedAcrossGatewaysIT {
    @TempDir
    Path dir;
    RedisServerProcess redis;
    StreamKit kit;
    TestGateway a;
    TestGateway b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        kit = new StreamKit();
        String yaml = "gateway:\n  data_dir: " + dir.resolve("shared-data") + "\n  store: redis\n  gateways: 2\n"
                + "redis:\n  uri: " + redis.uri() + "\n";
        a = TestGateway.start(dir.resolve("a"), yaml, kit.upstreams(), ApiGateway::configuredStores);
        b = TestGateway.start(dir.resolve("b"), yaml, kit.upstreams(), ApiGateway::configuredStores);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, kit}) {
            if (c != null) {
                c.close();
            }
        }
        redis.close();
    }

    @Test
    void aKeyRevokedOnGatewayAClosesItsStreamOnGatewayB() throws Exception {
        String token = a.signUpAndLogIn("across@example.com");
        JsonObject key = a.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        StreamKit.Stream s = kit.open(b.port(), "/v1/stream/market", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals("hello", s.nextMessage());

        assertEquals(200, a.send(a.request("/v1/keys/" + key.getString("key_id"))
                .header("Authorization", "Bearer " + token).DELETE()).statusCode());

        assertEquals((short) 1008, s.closeCode(), s.awaitClose());
        assertEquals(-2004, s.closeReason().getInteger("error_no"));
    }
}
