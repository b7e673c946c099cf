package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Scope;
import org.opentrade.gateway.port.Await;

/**
 * The administrator's listings come in bounded pages. Sign-ups are cheap (1 000 an hour by default, each with up to
 * max_keys + revoked_keys_kept keys): the registry grows as fast as anyone wants, and GET /v1/admin/keys answered all
 * of it at once, read from the store and built as JSON on the event loop.
 */
class AdminListingsTest {
    @TempDir
    Path dir;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(dir, "");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void keysAreListedInPagesOfAtMostAThousandThatTogetherHoldEveryKeyOnce() throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        long t = 1_800_000_000_000L;
        for (int i = 0; i < 2_500; i++) {
            // Every fourth pair in one millisecond: ties are ordered by id.
            writes.add(gw.gateway.stores().registry().putKey(new ApiKey(ApiSecrets.newKeyId(), "dev_listing", "", KeyType.SECRET,
                    Set.of(Scope.MARKET_READ), "free", List.of(ApiSecrets.hash(ApiSecrets.newSecret())), 0, null, List.of(),
                    0, KeyStatus.ACTIVE, t + i / 2, 0)).toCompletableFuture());
        }
        Await.result(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = gw.get("/v1/admin/keys" + (cursor == null ? "" : "?cursor=" + cursor),
                    "X-Admin-Token", TestGateway.ADMIN_TOKEN);
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = new JsonObject(page.body());
            JsonArray keys = body.getJsonArray("keys");
            assertTrue(keys.size() <= AdminRoutes.MAX_PAGE, "a page of " + keys.size() + " keys");
            keys.forEach(k -> assertTrue(seen.add(((JsonObject) k).getString("key_id")), "twice: " + k));
            cursor = body.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(2_500, seen.size());
        assertEquals(3, pages);

        JsonObject small = new JsonObject(gw.get("/v1/admin/developers?limit=1", "X-Admin-Token", TestGateway.ADMIN_TOKEN)
                .body());
        assertEquals(0, small.getJsonArray("developers").size());
        assertNull(small.getString("next_cursor"));
        for (String bad : new String[] {"?limit=0", "?limit=1001", "?limit=", "?cursor=", "?cursor=abc",
            "?cursor=1.a%2Fb", "?cursor=-1.otk_x", "?page=2"}) {
            HttpResponse<String> refused = gw.get("/v1/admin/keys" + bad, "X-Admin-Token", TestGateway.ADMIN_TOKEN);
            assertEquals(400, refused.statusCode(), bad + " " + refused.body());
            assertEquals(-1002, new JsonObject(refused.body()).getInteger("error_no"), bad);
        }
    }
}
