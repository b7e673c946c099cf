package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.trade.domain.intent.SendRejected;

/**
 * A new order the exchange refuses before its engine (-5007 overloaded) is rejected by a logged {@code SendRejected}:
 * its caller (REST), the order stream and the desk's listeners (the FIX acceptor is one) are told "rejected" only once
 * that record is durable. Told before, a kill -9 in between left the order pending_new in the log, and the restart
 * sent again an order its caller was told was rejected. If the store fails first, the answer is 504 unknown.
 */
class RejectionAnsweredOnceDurableTest {
    @TempDir
    Path dir;

    private static Handler<DeliveryContext<Object>> refusing(String dev) {
        return dc -> {
            if (dc.body() instanceof Command c && c.type() == CommandType.NEW_ORDER && c.account().equals(dev)) {
                dc.message().reply(ExchangeJson.toJson(CommandResult.refused(c, ResultCode.ENGINE_OVERLOADED)));
                return;
            }
            dc.next();
        };
    }

    /** The order statuses the desk's listeners (the order stream, the FIX acceptor) got for {@code dev}. */
    private static List<String> listen(TradeHarness h, String dev) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        h.onTrade(() -> {
            h.trade.desk().addListener((u, t) -> {
                if (u.account().equals(dev) && u.order() != null) {
                    seen.add(u.order().status().wireName());
                }
            });
            return null;
        });
        return seen;
    }

    /** An order-stream subscriber of {@code dev}: its data frames' order statuses. */
    private static final class Stream implements AutoCloseable {
        final WebSocketClient c;
        final WebSocket ws;
        final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        final List<String> statuses = new CopyOnWriteArrayList<>();

        Stream(TradeHarness h, String dev) throws Exception {
            c = h.vertx.createWebSocketClient();
            ws = TradeHarness.await(c.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(h.trade.port())
                    .setURI("/v1/stream/orders").addHeader(TradeHarness.TEST_CALLER, dev)));
            ws.textMessageHandler(t -> {
                JsonObject f = new JsonObject(t);
                if ("orders".equals(f.getString("channel")) && f.getJsonObject("data") != null
                        && f.getJsonObject("data").getString("status") != null) {
                    statuses.add(f.getJsonObject("data").getString("status"));
                }
                frames.add(f);
            });
            ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders"))
                    .encode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && "subscribed".equals(f.getString("type"))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not subscribed in 10 s");
                }
            }
        }

        @Override
        public void close() throws Exception {
            TradeHarness.await(ws.close());
            TradeHarness.await(c.close());
        }
    }

    private static void untilHeld(TradeHarness h, HoldingIntentStore store) throws Exception {
        h.until(() -> store.held() > 0, 10);
    }

    @Test
    void aRefusalIsAnsweredStreamedAndReportedOnlyOnceItsRecordIsDurable() throws Exception {
        String dev = "dev_rejected_durable";
        HoldingIntentStore[] store = new HoldingIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true, s -> store[0] = new HoldingIntentStore(s).holdOnly(i -> i instanceof SendRejected))) {
            h.vertx.eventBus().addOutboundInterceptor(refusing(dev));
            List<String> reported = listen(h, dev);
            try (Stream stream = new Stream(h, dev)) {
                var answer = h.request(HttpMethod.POST, dev, "/v1/orders")
                        .sendJsonObject(TradeHarness.limit("rj-1", "601398.SH", "buy", "7.10", 100));
                untilHeld(h, store[0]); // refused, its SendRejected appended (the ledger has it), not durable
                boolean answeredEarly = IdempotencyKeyInFlightTest.answeredWithin(answer, 1_000);
                List<String> reportedEarly = List.copyOf(reported);
                List<String> streamedEarly = List.copyOf(stream.statuses);
                store[0].release();
                var r = TradeHarness.await(answer);
                assertFalse(streamedEarly.contains("rejected"), "streamed before durable: " + streamedEarly);
                assertFalse(reportedEarly.contains("rejected"), "reported before durable: " + reportedEarly);
                assertFalse(answeredEarly, "answered before the rejection was durable: " + r.statusCode() + " "
                        + r.bodyAsString());
                assertEquals(503, r.statusCode(), r.bodyAsString());
                assertEquals(ResultCode.ENGINE_OVERLOADED.code(), r.bodyAsJsonObject().getInteger("error_no"),
                        r.bodyAsString());
                h.until(() -> stream.statuses.contains("rejected"), 10);
                assertTrue(reported.contains("rejected"), reported.toString());
                assertEquals(List.of("pending_new", "rejected"), stream.statuses, "in order, nothing lost");
            }
        }
    }

    @Test
    void aRefusalWhoseRecordTheFailedStoreMayNotHaveIsAnsweredUnknown() throws Exception {
        String dev = "dev_rejected_lost";
        HoldingIntentStore[] store = new HoldingIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true, s -> store[0] = new HoldingIntentStore(s).holdOnly(i -> i instanceof SendRejected))) {
            h.vertx.eventBus().addOutboundInterceptor(refusing(dev));
            List<String> reported = listen(h, dev);
            try (Stream stream = new Stream(h, dev)) {
                JsonObject order = TradeHarness.limit("rj-2", "601398.SH", "buy", "7.10", 100);
                var answer = h.request(HttpMethod.POST, dev, "/v1/orders").sendJsonObject(order);
                untilHeld(h, store[0]);
                store[0].fail();
                var r = TradeHarness.await(answer);
                assertEquals(504, r.statusCode(), r.bodyAsString());
                assertEquals("unknown", r.bodyAsJsonObject().getString("order_status"), r.bodyAsString());
                var retry = h.order(dev, order);
                assertEquals(504, retry.statusCode(), "a retry by client_order_id: " + retry.bodyAsString());
                Thread.sleep(300); // a frame that must not come
                assertFalse(reported.contains("rejected"), reported.toString());
                assertFalse(stream.statuses.contains("rejected"), stream.statuses.toString());
            }
        }
    }
}
