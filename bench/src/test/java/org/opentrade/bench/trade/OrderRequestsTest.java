package org.opentrade.bench.trade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderRequestsTest {
    private static final List<BenchKey> KEYS = List.of(new BenchKey("k0", "s0"), new BenchKey("k1", "s1"),
            new BenchKey("k2", "s2"));
    private static final List<BenchSymbol> SYMBOLS = List.of(new BenchSymbol("600000.SH", 1045, 1, 10, 100),
            new BenchSymbol("600519.SH", 148800, 1, 10, 100));
    private final OrderRequests requests = new OrderRequests(URI.create("http://127.0.0.1:18390/v1/orders"), KEYS,
            SYMBOLS, "run1-");

    @Test
    void everyAccountGetsEverySymbolInTurnWithAUniqueClientOrderIdPerRequest() {
        Set<String> ids = new HashSet<>();
        Set<String> pairs = new HashSet<>();
        for (long i = 0; i < 6; i++) {
            JsonObject body = new JsonObject(requests.body(i));
            assertTrue(ids.add(body.getString("client_order_id")));
            pairs.add(requests.key(i).keyId() + "/" + body.getString("symbol"));
            assertEquals("buy", body.getString("side"));
            assertEquals("limit", body.getString("type"));
            assertEquals(100, body.getInteger("qty"));
        }
        assertEquals(6, pairs.size(), "3 keys x 2 symbols, each pair once in the first 6 requests");
        assertEquals("k1", requests.key(4).keyId());
        assertEquals("600519.SH", requests.symbol(4).symbol());
        assertEquals("run1-4", new JsonObject(requests.body(4)).getString("client_order_id"));
    }

    @Test
    void anAccountsNextOrderOnASymbolRestsOneLevelLower() {
        // request 6 is key 0's second order on 600000.SH (after 3 keys x 2 symbols)
        assertEquals("9.61", new JsonObject(requests.body(0)).getString("price"));
        assertEquals("9.59", new JsonObject(requests.body(6)).getString("price"));
    }

    @Test
    void theEncodedRequestIsAPostWithTheKeyAndAnExactContentLength() {
        ByteBuffer b = requests.encode(7);
        String text = StandardCharsets.UTF_8.decode(b).toString();
        String[] parts = text.split("\r\n\r\n", 2);
        assertTrue(parts[0].startsWith("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1:18390\r\n"), parts[0]);
        assertTrue(parts[0].contains("\r\nX-API-Key: k1\r\nX-API-Secret: s1\r\n"), parts[0]);
        assertTrue(parts[0].contains("\r\nContent-Length: " + parts[1].getBytes(StandardCharsets.UTF_8).length), parts[0]);
        assertEquals(requests.body(7), parts[1]);
    }
}
