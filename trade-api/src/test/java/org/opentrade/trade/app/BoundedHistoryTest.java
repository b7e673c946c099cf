package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * trade-api with {@code accounts.history_kept: 100}: an account that placed 130 orders that all closed lists the
 * 100 closed last, and across a restart too; the desk forgets what it kept for the dropped ones, so their
 * {@code Idempotency-Key}s (and client order ids) start new orders, while a kept order's key still answers it; a
 * cancel's or a replace's key answers its first answer whether its order is kept or not.
 */
class BoundedHistoryTest {
    private static final String DEV = "dev_history";

    @TempDir
    Path dir;

    private static HttpResponse<Buffer> ioc(TradeHarness h, String idempotencyKey) throws Exception {
        // An IOC buy below a book nobody sells into (no simulator): it expires at once, closed.
        return TradeHarness.await(h.request(HttpMethod.POST, DEV, "/v1/orders").putHeader("Idempotency-Key", idempotencyKey)
                .sendJsonObject(TradeHarness.limit(null, "601398.SH", "buy", "7.00", 100).put("time_in_force", "ioc")));
    }

    private static JsonObject orders(TradeHarness h) throws Exception {
        return h.get(DEV, "/v1/orders?status=all&limit=500").bodyAsJsonObject();
    }

    @Test
    void theOrdersClosedLastAreKeptAndWhatTheDeskKeptForTheOthersGoesWithThem() throws Exception {
        Path yaml = dir.resolve("history.yaml");
        Files.writeString(yaml, "accounts:\n  history_kept: 100\nrisk:\n  max_orders_per_second: 100000\n");
        try (TradeHarness h = TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_CONFIG", yaml.toString()))) {
            String[] ids = new String[130];
            for (int i = 0; i < ids.length; i++) {
                HttpResponse<Buffer> r = ioc(h, "k-" + i);
                assertEquals(201, r.statusCode(), r.bodyAsString());
                ids[i] = r.bodyAsJsonObject().getString("order_id");
            }
            h.until(() -> {
                try {
                    return orders(h).getJsonArray("items").stream().map(JsonObject.class::cast)
                            .noneMatch(o -> o.getString("status").equals("pending_new") || o.getString("status").equals("new"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 30);
            assertEquals(100, orders(h).getJsonArray("items").size());
            assertEquals(ids[129], orders(h).getJsonArray("items").getJsonObject(0).getString("order_id"));
            assertEquals(ids[30], orders(h).getJsonArray("items").getJsonObject(99).getString("order_id"));
            assertEquals(404, h.get(DEV, "/v1/orders/" + ids[29]).statusCode());
            String metrics = h.trade.metrics();
            assertTrue(metrics.contains("\ntrade_ledger_orders_kept 100\n"), metrics);
            assertTrue(metrics.contains("\ntrade_ledger_orders_dropped_total 30\n"), metrics);

            HttpResponse<Buffer> kept = ioc(h, "k-129");
            assertEquals(200, kept.statusCode(), "a kept order's key answers it: " + kept.bodyAsString());
            assertEquals(ids[129], kept.bodyAsJsonObject().getString("order_id"));

            h.stopTrade();
            h.startTrade();
            assertEquals(100, orders(h).getJsonArray("items").size(), "the same history after a restart");
            assertEquals(200, ioc(h, "k-129").statusCode());
            HttpResponse<Buffer> dropped = ioc(h, "k-0");
            assertEquals(201, dropped.statusCode(), "a dropped order's key is forgotten: " + dropped.bodyAsString());
            assertNotEquals(ids[0], dropped.bodyAsJsonObject().getString("order_id"));
        }
    }

    /**
     * A cancel and a replace retried under their Idempotency-Keys after their order left the kept history get their
     * first answers: the route looked the order up before the stored answer and said 404 -4112, no such order, to a
     * client whose cancel had worked.
     */
    @Test
    void aCancelOrReplaceRetriedUnderItsKeyAfterItsOrderWasDroppedGetsItsFirstAnswer() throws Exception {
        Path yaml = dir.resolve("history.yaml");
        Files.writeString(yaml, "accounts:\n  history_kept: 100\nrisk:\n  max_orders_per_second: 100000\n");
        try (TradeHarness h = TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_CONFIG", yaml.toString()))) {
            HttpResponse<Buffer> placed = h.order(DEV, TradeHarness.limit("drop-me", "601398.SH", "buy", "7.00", 100));
            assertEquals(201, placed.statusCode(), placed.bodyAsString());
            String id = placed.bodyAsJsonObject().getString("order_id");
            JsonObject replace = new JsonObject().put("qty", 200);
            HttpResponse<Buffer> replaced = TradeHarness.await(h.request(HttpMethod.PATCH, DEV, "/v1/orders/" + id)
                    .putHeader("Idempotency-Key", "k-replace").sendJsonObject(replace));
            assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
            HttpResponse<Buffer> canceled = TradeHarness.await(h.request(HttpMethod.DELETE, DEV, "/v1/orders/" + id)
                    .putHeader("Idempotency-Key", "k-cancel").send());
            assertEquals(200, canceled.statusCode(), canceled.bodyAsString());

            for (int i = 0; i < 100; i++) { // 100 orders closed after it: it is the 101st closed last, dropped
                assertEquals(201, ioc(h, "k-later-" + i).statusCode());
            }
            h.until(() -> {
                try {
                    return h.get(DEV, "/v1/orders/" + id).statusCode() == 404;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 30);

            HttpResponse<Buffer> cancelAgain = TradeHarness.await(h.request(HttpMethod.DELETE, DEV, "/v1/orders/" + id)
                    .putHeader("Idempotency-Key", "k-cancel").send());
            assertEquals(200, cancelAgain.statusCode(), "the first answer, not 404: " + cancelAgain.bodyAsString());
            assertEquals(canceled.bodyAsJsonObject(), cancelAgain.bodyAsJsonObject());
            HttpResponse<Buffer> replaceAgain = TradeHarness.await(h.request(HttpMethod.PATCH, DEV, "/v1/orders/" + id)
                    .putHeader("Idempotency-Key", "k-replace").sendJsonObject(replace));
            assertEquals(200, replaceAgain.statusCode(), "the first answer, not 404: " + replaceAgain.bodyAsString());
            assertEquals(replaced.bodyAsJsonObject(), replaceAgain.bodyAsJsonObject());
            HttpResponse<Buffer> unkeyed = h.send(HttpMethod.DELETE, DEV, "/v1/orders/" + id, null);
            assertEquals(404, unkeyed.statusCode(), "without a key it is a new request: " + unkeyed.bodyAsString());
            assertEquals(-4112, unkeyed.bodyAsJsonObject().getInteger("error_no"));
        }
    }
}
