package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
