package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mutation's Idempotency-Key stays in flight until the work ends, not until its connection does: a client that
 * timed out closes its connection, retries at once, and must not run the mutation a second time (review).
 */
class IdempotencyKeyInFlightTest {
    @TempDir
    Path dir;

    @Test
    void aRetryAfterTheClientGaveUpDoesNotRunBesideTheFirstRequest() throws Exception {
        TradeSnapshotInFlightTest.HeldIntentStore[] store = new TradeSnapshotInFlightTest.HeldIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true,
                s -> store[0] = new TradeSnapshotInFlightTest.HeldIntentStore(s))) {
            String dev = "dev_key_close";
            assertEquals(200, h.send(HttpMethod.POST, dev, "/v1/account/reset",
                    new JsonObject().put("starting_balance", "5000.00")).statusCode());
            long before = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            store[0].hold(); // the store is slow: the first reset is not answered yet
            String body = "{\"starting_balance\":\"6000.00\"}";
            try (Socket s = new Socket("127.0.0.1", h.trade.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/account/reset HTTP/1.1\r\nHost: x\r\n" + TradeHarness.TEST_CALLER + ": " + dev
                        + "\r\nIdempotency-Key: K1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                h.until(() -> {
                    try {
                        return h.onTrade(() -> h.trade.desk().lastIntentAppended()) == before + 1;
                    } catch (Exception e) {
                        return false;
                    }
                }, 10);
            } // the client gives up (its timeout) and closes the connection; the reset is still being answered
            Thread.sleep(300);
            var retry = h.request(HttpMethod.POST, dev, "/v1/account/reset").putHeader("Idempotency-Key", "K1")
                    .sendJsonObject(new JsonObject().put("starting_balance", "6000.00"));
            Thread.sleep(500);
            long after = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            store[0].release();
            var r = TradeHarness.await(retry);
            assertEquals(before + 1, after, "the retry must not run beside the first (answer " + r.statusCode() + " "
                    + r.bodyAsString() + ")");
            assertEquals(409, r.statusCode(), r.bodyAsString());
            assertEquals(-4115, r.bodyAsJsonObject().getInteger("error_no"));
            h.until(() -> {
                try {
                    return TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/account/reset")
                            .putHeader("Idempotency-Key", "K1").sendJsonObject(new JsonObject()
                                    .put("starting_balance", "6000.00"))).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            assertEquals(before + 1, (long) h.onTrade(() -> h.trade.desk().lastIntentAppended()),
                    "once the first is done, the retry gets its answer again");
        }
    }

    /**
     * A new order retried under its Idempotency-Key (no client_order_id: each request gets a generated one) while the
     * first is still being recorded waits for the first answer: answered 200 at once, it acknowledged an order whose
     * intent was not yet durable, which a crash in the next instant lost from memory and log alike.
     */
    @Test
    void aNewOrdersRetryUnderItsKeyIsNotAnsweredBeforeTheFirstIsRecorded() throws Exception {
        TradeSnapshotInFlightTest.HeldIntentStore[] store = new TradeSnapshotInFlightTest.HeldIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true,
                s -> store[0] = new TradeSnapshotInFlightTest.HeldIntentStore(s))) {
            String dev = "dev_key_order";
            JsonObject body = TradeHarness.limit(null, "601398.SH", "buy", "7.00", 100);
            store[0].hold(); // the store is slow: the first order's intent is appended, not durable
            var first = h.request(HttpMethod.POST, dev, "/v1/orders").putHeader("Idempotency-Key", "K-order")
                    .sendJsonObject(body);
            h.untilDeskBusy();
            var retry = h.request(HttpMethod.POST, dev, "/v1/orders").putHeader("Idempotency-Key", "K-order")
                    .sendJsonObject(body); // the client timed out and sends it again
            // Answered early, it comes within milliseconds; waiting, it never comes while the store is held.
            boolean answeredEarly = answeredWithin(retry, 2_000);
            store[0].release();
            var r1 = TradeHarness.await(first);
            var r2 = TradeHarness.await(retry);
            assertFalse(answeredEarly, "the retry was answered before the order was durable: " + r2.statusCode() + " "
                    + r2.bodyAsString());
            assertEquals(201, r1.statusCode(), r1.bodyAsString());
            assertEquals(200, r2.statusCode(), r2.bodyAsString());
            assertEquals(r1.bodyAsJsonObject().getString("order_id"), r2.bodyAsJsonObject().getString("order_id"));
            assertEquals("new", r2.bodyAsJsonObject().getString("status"), r2.bodyAsString());
        }
    }

    /** Whether {@code answer} completes within {@code ms} (polled; it is not expected to while the store is held). */
    static boolean answeredWithin(io.vertx.core.Future<?> answer, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!answer.isComplete() && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling for an answer that must not come
        }
        return answer.isComplete();
    }
}
