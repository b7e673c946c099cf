package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;

/** A reset against a resting sell that fills before the reset's cancel reaches the exchange (found in review). */
class ResetRaceFillTest extends TradeHarnessTest {
    private static final String SYMBOL = "601398.SH";
    private static long makerOrderIds = 9_200_000_000L;

    private static void maker(String side, String price, long qty) throws Exception {
        h.vertx.eventBus().request(ExchangeAddresses.COMMANDS, new JsonObject()
                .put("type", "NEW_ORDER").put("order_id", ++makerOrderIds).put("account", "sim-mm-0").put("symbol", SYMBOL)
                .put("side", side).put("order_type", "LIMIT").put("tif", "GTC").put("price", price).put("qty", qty))
                .toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aSellThatFillsWhileTheResetsCancelIsOnItsWayMovesNothingOnTheNewSlate() throws Exception {
        String dev = "dev_reset_race_fill";
        maker("SELL", "7.12", 1000);
        HttpResponse<Buffer> buy = h.order(dev, TradeHarness.limit("r-1", SYMBOL, "buy", "7.12", 100));
        assertEquals("filled", buy.bodyAsJsonObject().getString("status"), buy.bodyAsString());
        h.until(() -> qty(dev) == 100, 10);
        HttpResponse<Buffer> sell = h.order(dev, TradeHarness.limit("r-2", SYMBOL, "sell", "7.00", 100));
        assertEquals(201, sell.statusCode(), sell.bodyAsString());

        // The reset's cancel is slow to reach the exchange (dropped here: as one still on its way).
        AtomicBoolean drop = new AtomicBoolean(true);
        Handler<DeliveryContext<Object>> slow = dc -> {
            if (drop.get() && dc.body() instanceof Command c && c.type() == CommandType.CANCEL) {
                return; // never delivered
            }
            dc.next();
        };
        h.vertx.eventBus().addOutboundInterceptor(slow);
        try {
            var reset = h.request(HttpMethod.POST, dev, "/v1/account/reset").send();
            h.until(() -> {
                try {
                    return h.get(dev, "/v1/positions").bodyAsJsonObject().getJsonArray("items").isEmpty();
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            maker("BUY", "7.00", 100); // hits the resting sell before the cancel gets there
            h.until(() -> "filled".equals(status(dev, "r-2")), 10);
            TradeHarness.await(reset);
        } finally {
            drop.set(false);
            h.vertx.eventBus().removeOutboundInterceptor(slow);
        }
        JsonObject positions = h.get(dev, "/v1/positions").bodyAsJsonObject();
        assertEquals(0, positions.getJsonArray("items").size(),
                "a reset leaves no positions, and the platform never sells short: " + positions.encode());
        JsonObject account = h.get(dev, "/v1/account").bodyAsJsonObject();
        assertEquals(account.getString("starting_balance"), account.getString("cash"), account.encode());
        assertEquals("0.00", account.getString("fees_paid"), account.encode());
        assertEquals("filled", status(dev, "r-2"), "the order's own history is the exchange's");
    }

    private static long qty(String dev) {
        try {
            HttpResponse<Buffer> r = h.get(dev, "/v1/positions/" + SYMBOL);
            return r.statusCode() == 404 ? 0 : r.bodyAsJsonObject().getLong("qty");
        } catch (Exception e) {
            return -1;
        }
    }

    private static String status(String dev, String cid) {
        try {
            return h.get(dev, "/v1/orders/by-client-id/" + cid).bodyAsJsonObject().getString("status");
        } catch (Exception e) {
            return null;
        }
    }
}
