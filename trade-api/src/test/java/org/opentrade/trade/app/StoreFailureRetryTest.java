package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;

/**
 * When the intent store fails with an order's intent not yet durable, the log may or may not have it: the first
 * request is answered 504 "unknown", and so is every retry that finds the order, never 200 (a restart that does not
 * find the intent in the log has no such order, and the client was told it had one).
 */
class StoreFailureRetryTest {
    @TempDir
    Path dir;

    @Test
    void aRetryOfAnOrderWhoseIntentTheFailedStoreMayNotHaveIsAnsweredUnknownNot200() throws Exception {
        HoldingIntentStore[] store = new HoldingIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true, s -> store[0] = new HoldingIntentStore(s))) {
            String dev = "dev_failed_store";
            assertEquals(201, h.order(dev, TradeHarness.limit("before", "601398.SH", "buy", "7.00", 100)).statusCode());
            long base = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            store[0].hold();
            JsonObject byId = TradeHarness.limit("c-1", "601398.SH", "buy", "7.00", 100);
            JsonObject byKey = TradeHarness.limit(null, "601398.SH", "buy", "7.01", 100);
            var first = h.request(HttpMethod.POST, dev, "/v1/orders").sendJsonObject(byId);
            var firstKeyed = h.request(HttpMethod.POST, dev, "/v1/orders").putHeader("Idempotency-Key", "k-1")
                    .sendJsonObject(byKey);
            h.until(() -> {
                try {
                    return h.onTrade(() -> h.trade.desk().lastIntentAppended()) >= base + 2;
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            store[0].fail();
            var r1 = TradeHarness.await(first);
            var r2 = TradeHarness.await(firstKeyed);
            assertEquals(504, r1.statusCode(), r1.bodyAsString());
            assertEquals(504, r2.statusCode(), r2.bodyAsString());

            var retry = h.order(dev, byId);
            assertEquals(504, retry.statusCode(), "a retry by client_order_id: " + retry.bodyAsString());
            assertEquals("unknown", retry.bodyAsJsonObject().getString("order_status"), retry.bodyAsString());
            assertEquals("c-1", retry.bodyAsJsonObject().getString("client_order_id"), retry.bodyAsString());
            var retryKeyed = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                    .putHeader("Idempotency-Key", "k-1").sendJsonObject(byKey));
            assertEquals(504, retryKeyed.statusCode(), "a retry by Idempotency-Key: " + retryKeyed.bodyAsString());

            // An order recorded before the failure is still answered as it is.
            var before = h.order(dev, TradeHarness.limit("before", "601398.SH", "buy", "7.00", 100));
            assertEquals(200, before.statusCode(), before.bodyAsString());
        }
    }

    /**
     * A process whose store failed sends no order again: its order whose command got no answer stays pending (a
     * restart, or a standby that took the instance over, resends what the log holds), where the process went on
     * settling it and sent it after its barrier, beside the next process's resend of the same order (one that ends at
     * once, IOC or market, was then placed twice). An event-bus interceptor loses the first command.
     */
    @Test
    void aProcessWhoseStoreFailedDoesNotSendAnUnansweredOrderAgain() throws Exception {
        String dev = "dev_failed_resend";
        AtomicInteger newCommands = new AtomicInteger();
        Handler<DeliveryContext<Object>> lose = dc -> {
            if (ExchangeAddresses.isAddressOf(ExchangeAddresses.COMMANDS, dc.message().address())
                    && dc.body() instanceof Command c && c.type() == CommandType.NEW_ORDER && c.account().equals(dev)
                    && newCommands.incrementAndGet() == 1) {
                return; // lost on its way: the exchange never gets it, the desk gets no answer
            }
            dc.next();
        };
        HoldingIntentStore[] store = new HoldingIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_EXCHANGE_TIMEOUT", "300ms"), true,
                s -> store[0] = new HoldingIntentStore(s))) {
            h.vertx.eventBus().addOutboundInterceptor(lose);
            var r = h.order(dev, TradeHarness.limit("lost-1", "601398.SH", "buy", "7.00", 100));
            assertEquals(504, r.statusCode(), r.bodyAsString()); // recorded, sent, unanswered
            store[0].fail(); // e.g. the Redis claim lost: another process of the instance now resends what is pending
            Thread.sleep(4_000); // the desk settles every 0.5 s, asking a barrier 1 s after the unknown answer
            assertEquals(1, newCommands.get(), "the order was sent again by a process whose store had failed");
            assertEquals(0L, (long) h.onTrade(() -> h.trade.desk().resentOrders()));
            h.vertx.eventBus().removeOutboundInterceptor(lose);
        }
    }
}
