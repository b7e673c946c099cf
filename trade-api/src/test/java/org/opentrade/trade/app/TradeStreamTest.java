package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.ExchangeAddresses;

/** The order stream against the real exchange: the owner's updates and fills with a gap-free seq, nobody else's. */
class TradeStreamTest extends TradeHarnessTest {

    static final class Client implements AutoCloseable {
        final WebSocketClient c = h.vertx.createWebSocketClient();
        final WebSocket ws;
        final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

        Client(String dev, String query) throws Exception {
            ws = TradeHarness.await(c.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(h.trade.port())
                    .setURI("/v1/stream/orders" + query).addHeader(TradeHarness.TEST_CALLER, dev)));
            ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
            ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders")).encode());
        }

        JsonObject next(java.util.function.Predicate<JsonObject> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && p.test(f)) {
                    return f;
                }
            }
            throw new AssertionError("no wanted frame in 10 s");
        }

        @Override
        public void close() throws Exception {
            TradeHarness.await(ws.close());
            TradeHarness.await(c.close());
        }
    }

    @Test
    void theOwnerSeesOrderUpdatesAndFillsInSeqOrderAndOthersSeeNothing() throws Exception {
        h.vertx.eventBus().request(ExchangeAddresses.COMMANDS, new JsonObject().put("type", "NEW_ORDER")
                .put("order_id", 9_200_000_001L).put("account", "sim-mm-0").put("symbol", "600030.SH").put("side", "SELL")
                .put("order_type", "LIMIT").put("tif", "GTC").put("price", "27.55").put("qty", 500))
                .toCompletionStage().toCompletableFuture().get();
        try (Client owner = new Client("dev_stream_owner", ""); Client other = new Client("dev_stream_other", "")) {
            owner.next(f -> "subscribed".equals(f.getString("type")));
            other.next(f -> "subscribed".equals(f.getString("type")));
            assertEquals(201, h.order("dev_stream_owner", TradeHarness.limit("s-1", "600030.SH", "buy", "27.55", 200))
                    .statusCode());
            List<JsonObject> data = new ArrayList<>();
            JsonObject fill = null;
            while (fill == null) {
                JsonObject f = owner.next(x -> "orders".equals(x.getString("channel")) && x.getValue("seq") != null
                        && !Boolean.TRUE.equals(x.getBoolean("snapshot")));
                data.add(f);
                if ("fill".equals(f.getString("type"))) {
                    fill = f;
                }
            }
            for (int i = 1; i < data.size(); i++) {
                assertEquals(data.get(i - 1).getLong("seq") + 1, data.get(i).getLong("seq"), "gap-free: " + data);
            }
            assertEquals("order", data.get(0).getString("type"));
            assertEquals("s-1", data.get(0).getJsonObject("data").getString("client_order_id"));
            assertEquals("27.55", fill.getJsonObject("data").getString("price"));
            assertEquals(200, fill.getJsonObject("data").getLong("qty"));
            JsonObject filled = owner.next(x -> "order".equals(x.getString("type"))
                    && "filled".equals(x.getJsonObject("data").getString("status")));
            assertEquals(fill.getLong("seq") + 1, filled.getLong("seq"));
            assertTrue(other.frames.stream().noneMatch(f -> "orders".equals(f.getString("channel"))
                    && f.getValue("seq") != null && f.getJsonObject("data") != null
                    && "s-1".equals(f.getJsonObject("data").getString("client_order_id"))), "no other account's frames");
        }
    }

    /** The contract: a frame over 4 KiB is answered -1001 and the connection stays open, up to what the gateway forwards. */
    @Test
    void aFrameUpToSixtyFourKibOverTheLimitIsAnsweredAndTheConnectionStays() throws Exception {
        try (Client c = new Client("dev_big_frames", "")) {
            c.next(f -> "subscribed".equals(f.getString("type")));
            for (int size : new int[] {6_000, 20_000, 65_000}) {
                c.ws.writeFinalTextFrame("{\"op\":\"" + "a".repeat(size) + "\"}");
                JsonObject error = c.next(f -> "error".equals(f.getString("type")));
                assertEquals(-1001, error.getInteger("error_no"), size + ": " + error);
                assertEquals("frame larger than 4096 bytes", error.getString("error"));
            }
            c.ws.writeTextMessage("{\"op\":\"ping\"}");
            c.next(f -> "pong".equals(f.getString("type")));
            assertTrue(!c.ws.isClosed(), "still open");
        }
    }

    @Test
    void closingAnOptedInConnectionCancelsTheAccountsOpenOrders() throws Exception {
        Client c = new Client("dev_cod", "?cancel_on_disconnect=true");
        c.next(f -> "subscribed".equals(f.getString("type")));
        String id = h.order("dev_cod", TradeHarness.limit("cod-1", "600000.SH", "buy", "10.00", 100)).bodyAsJsonObject()
                .getString("order_id");
        c.close();
        h.until(() -> {
            try {
                return "canceled".equals(h.get("dev_cod", "/v1/orders/" + id).bodyAsJsonObject().getString("status"));
            } catch (Exception e) {
                return false;
            }
        }, 10);
    }

    /** Any value but "true" used to mean no cancel on disconnect, so "=1" asked for the safety net and got none. */
    @Test
    void cancelOnDisconnectIsTrueOrFalseAndTheUpgradeTakesNothingElse() throws Exception {
        for (String query : new String[] {"?cancel_on_disconnect=1", "?cancel_on_disconnect=yes",
                "?cancel_on_disconnect=true&cancel_on_disconnect=false", "?cancel_on_disconect=true"}) {
            HttpResponse<Buffer> r = TradeHarness.await(h.request(HttpMethod.GET, "dev_cod_query", "/v1/stream/orders" + query)
                    .putHeader("Connection", "Upgrade").putHeader("Upgrade", "websocket")
                    .putHeader("Sec-WebSocket-Version", "13").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").send());
            assertEquals(422, r.statusCode(), query + ": " + r.bodyAsString());
            assertEquals(-1002, r.bodyAsJsonObject().getInteger("error_no"), r.bodyAsString());
        }
        try (Client c = new Client("dev_cod_query", "?cancel_on_disconnect=false")) {
            c.next(f -> "subscribed".equals(f.getString("type")));
        }
    }
}
