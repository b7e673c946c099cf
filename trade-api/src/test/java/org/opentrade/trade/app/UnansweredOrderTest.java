package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.EventType;

/**
 * New orders whose exchange command got no answer (504 -9002, status unknown) are settled while
 * trade-api runs, not only at its next start: a command lost on its way is sent again once a barrier
 * shows the exchange never got it; a command the exchange executed but whose answer was lost is not
 * sent again (the exchange keeps only live order ids, so a second send of a filled order would fill
 * it twice). An event-bus interceptor plays the lost message; the exchange is real.
 */
class UnansweredOrderTest {
    @TempDir
    static Path dir;
    static TradeHarness h;
    /** NEW commands that reached the bus, by account. */
    static final Map<String, AtomicInteger> NEW_COMMANDS = new ConcurrentHashMap<>();
    static final Handler<DeliveryContext<Object>> LOSE = UnansweredOrderTest::lose;
    static final AtomicInteger COMMANDS_LOST = new AtomicInteger();
    static final AtomicInteger ANSWERS_LOST = new AtomicInteger();
    static final AtomicInteger BARRIERS = new AtomicInteger();
    static final List<Held> HELD_FEED = new ArrayList<>();
    static boolean holdingFeed;

    @BeforeAll
    static void start() throws Exception {
        h = TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_EXCHANGE_TIMEOUT", "300ms"));
        h.vertx.eventBus().addOutboundInterceptor(LOSE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.vertx.eventBus().removeOutboundInterceptor(LOSE);
            h.close();
        }
    }

    /**
     * Loses the first NEW command of account dev_lost_command before the exchange sees it, and the
     * exchange's answer to the first NEW command of dev_lost_answer after the exchange executed it.
     * From that command on, the feed's batches are held back until trade-api asks its barrier, so the
     * order is still pending_new when its answer times out: the case a careless resend gets wrong.
     */
    private static void lose(DeliveryContext<Object> dc) {
        Object body = dc.body();
        String address = dc.message().address();
        if (ExchangeAddresses.isAddressOf(ExchangeAddresses.COMMANDS, address) && body instanceof Command c && c.type() == CommandType.NEW_ORDER) {
            int n = NEW_COMMANDS.computeIfAbsent(c.account(), a -> new AtomicInteger()).incrementAndGet();
            if (n == 1 && c.account().equals("dev_lost_command")) {
                COMMANDS_LOST.incrementAndGet();
                return;
            }
            if (n == 1 && (c.account().equals("dev_lost_then_canceled") || c.account().equals("dev_lost_then_killed")
                    || c.account().equals("dev_lost_then_replaced"))) {
                return; // lost too; the client then cancels it, turns its kill switch on, or replaces it
            }
            if (n == 1 && c.account().equals("dev_lost_answer")) {
                synchronized (HELD_FEED) {
                    holdingFeed = true;
                }
            }
        }
        if (ExchangeAddresses.isAddressOf(ExchangeAddresses.FEED_SNAPSHOT, address)) {
            BARRIERS.incrementAndGet();
            releaseFeed();
        }
        if (body instanceof CommandResult r && r.events().stream().anyMatch(e -> e.type() == EventType.ACCEPTED
                && "dev_lost_answer".equals(e.account())) && ANSWERS_LOST.getAndIncrement() == 0) {
            return;
        }
        if (address.startsWith(ExchangeAddresses.FEED_PREFIX)
                && address.substring(ExchangeAddresses.FEED_PREFIX.length()).matches("[0-9]+")) {
            synchronized (HELD_FEED) {
                if (holdingFeed) {
                    HELD_FEED.add(new Held(dc, Vertx.currentContext()));
                    return;
                }
            }
        }
        dc.next();
    }

    /** Stops holding the feed and lets what it held go on, in order, on the contexts that sent it. */
    private static void releaseFeed() {
        List<Held> go;
        synchronized (HELD_FEED) {
            holdingFeed = false;
            go = new ArrayList<>(HELD_FEED);
            HELD_FEED.clear();
        }
        for (Held held : go) {
            if (held.context() != null) {
                held.context().runOnContext(v -> held.delivery().next());
            } else {
                held.delivery().next();
            }
        }
    }

    private record Held(DeliveryContext<Object> delivery, Context context) {
    }

    @Test
    void anOrderWhoseCommandWasLostIsSentAgainAndRests() throws Exception {
        HttpResponse<Buffer> placed = h.order("dev_lost_command", TradeHarness.limit("lc-1", "600000.SH", "buy", "10.00", 100));
        assertEquals(504, placed.statusCode(), placed.bodyAsString());
        assertEquals(-9002, placed.bodyAsJsonObject().getInteger("error_no"));
        assertEquals("unknown", placed.bodyAsJsonObject().getString("order_status"));
        assertEquals(1, COMMANDS_LOST.get(), "the interceptor lost the command");

        JsonObject order = awaitStatus("dev_lost_command", "lc-1", "new");
        assertEquals(100, order.getLong("leaves_qty"));
        assertEquals(2, NEW_COMMANDS.get("dev_lost_command").get(), "sent once more, and only once");
        String metrics = h.get(null, "/metrics").bodyAsString();
        assertTrue(metrics.contains("trade_orders_resent_total 1\n"), metrics);
        assertTrue(metrics.contains("trade_orders_unsettled 0\n"), metrics);
    }

    @Test
    void anOrderWhoseCommandWasLostAndThatWasThenCanceledIsNeverSentAgain() throws Exception {
        HttpResponse<Buffer> placed = h.order("dev_lost_then_canceled", TradeHarness.limit("lcc-1", "600000.SH", "buy",
                "10.00", 100));
        assertEquals(504, placed.statusCode(), placed.bodyAsString());
        String orderId = h.get("dev_lost_then_canceled", "/v1/orders/by-client-id/lcc-1").bodyAsJsonObject()
                .getString("order_id");
        HttpResponse<Buffer> cancel = TradeHarness.await(h.request(io.vertx.core.http.HttpMethod.DELETE,
                "dev_lost_then_canceled", "/v1/orders/" + orderId).send());
        assertEquals(409, cancel.statusCode(), "the exchange does not have it: " + cancel.bodyAsString());

        JsonObject order = awaitStatus("dev_lost_then_canceled", "lcc-1", "rejected");
        assertTrue(order.getString("reject_reason").startsWith("withdrawn before the exchange had it"), order.encode());
        assertEquals(1, NEW_COMMANDS.get("dev_lost_then_canceled").get(), "never sent again: it would have gone live");

        HttpResponse<Buffer> killed = h.order("dev_lost_then_killed", TradeHarness.limit("lck-1", "600000.SH", "buy",
                "10.00", 100));
        assertEquals(504, killed.statusCode(), killed.bodyAsString());
        HttpResponse<Buffer> on = TradeHarness.await(h.request(io.vertx.core.http.HttpMethod.POST, "dev_lost_then_killed",
                "/v1/account/kill-switch").sendJsonObject(new JsonObject().put("enabled", true)));
        assertEquals(200, on.statusCode(), on.bodyAsString());
        awaitStatus("dev_lost_then_killed", "lck-1", "rejected");
        assertEquals(1, NEW_COMMANDS.get("dev_lost_then_killed").get(), "nor one of an account whose switch is on");
    }

    /**
     * A replace of an order the exchange never got is answered 409 -4113 (the exchange does not have it): the order
     * is then withdrawn as a canceled one is. It was sent again after the barrier at its first parameters and rested,
     * live, while its client had been told it was no longer open.
     */
    @Test
    void anOrderWhoseCommandWasLostAndThatWasThenReplacedIsNeverSentAgain() throws Exception {
        HttpResponse<Buffer> placed = h.order("dev_lost_then_replaced", TradeHarness.limit("lcr-1", "600000.SH", "buy",
                "10.00", 100));
        assertEquals(504, placed.statusCode(), placed.bodyAsString());
        String orderId = h.get("dev_lost_then_replaced", "/v1/orders/by-client-id/lcr-1").bodyAsJsonObject()
                .getString("order_id");
        HttpResponse<Buffer> replace = TradeHarness.await(h.request(io.vertx.core.http.HttpMethod.PATCH,
                "dev_lost_then_replaced", "/v1/orders/" + orderId).sendJsonObject(new JsonObject().put("qty", 200)));
        assertEquals(409, replace.statusCode(), "the exchange does not have it: " + replace.bodyAsString());
        assertEquals(-4113, replace.bodyAsJsonObject().getInteger("error_no"), replace.bodyAsString());
        assertTrue(replace.bodyAsJsonObject().getString("error").contains("never sent"), replace.bodyAsString());

        JsonObject order = awaitStatus("dev_lost_then_replaced", "lcr-1", "rejected");
        assertTrue(order.getString("reject_reason").startsWith("withdrawn before the exchange had it"), order.encode());
        assertEquals(1, NEW_COMMANDS.get("dev_lost_then_replaced").get(), "never sent again: it would have gone live");
    }

    @Test
    void anOrderTheExchangeExecutedIsNotSentAgainWhenOnlyItsAnswerWasLost() throws Exception {
        HttpResponse<Buffer> placed = h.order("dev_lost_answer", TradeHarness.limit("la-1", "000001.SZ", "buy", "11.00", 100));
        assertEquals(504, placed.statusCode(), placed.bodyAsString());
        assertEquals(1, ANSWERS_LOST.get(), "the interceptor lost the answer");

        JsonObject meanwhile = h.get("dev_lost_answer", "/v1/orders/by-client-id/la-1").bodyAsJsonObject();
        assertEquals("pending_new", meanwhile.getString("status"), "the feed is held: " + meanwhile.encode());

        // Held until the barrier is asked (1 s after the unknown answer); then the feed passes it.
        JsonObject order = awaitStatus("dev_lost_answer", "la-1", "new");
        assertTrue(BARRIERS.get() >= 1, "trade-api asked a barrier");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (h.onTrade(() -> h.trade.desk().unsettledOrders()) > 0) {
            assertTrue(System.nanoTime() < deadline, "the unanswered order was never settled");
            Thread.sleep(50); // polling trade-api's state with a deadline, not a fixed wait
        }
        assertEquals(1, NEW_COMMANDS.get("dev_lost_answer").get(), "the executed order was not sent twice");
        assertEquals(100, order.getLong("leaves_qty"), order.encode());
    }

    private static JsonObject awaitStatus(String dev, String cid, String status) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            JsonObject o = h.get(dev, "/v1/orders/by-client-id/" + cid).bodyAsJsonObject();
            if (status.equals(o.getString("status"))) {
                return o;
            }
            assertTrue(System.nanoTime() < deadline, cid + " never became " + status + ": " + o.encode());
            Thread.sleep(50); // polling the order with a deadline, not a fixed wait
        }
    }
}
