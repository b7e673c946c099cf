package org.opentrade.exchange.adapter.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.model.ContinuousCalendar;

/** The event-bus adapter in front of the real sharded exchange (no journal), on a real Vert.x. */
@ExtendWith(VertxExtension.class)
class EventBusAdapterTest {
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private ShardedExchange exchange;
    private CommandEndpoint endpoint;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        FeedBatchCodec.register(vertx);
        exchange = ShardedExchange.start(
                ShardedExchangeOptions.defaults(UniverseFile.loadDefault(), new ContinuousCalendar()).withShards(2),
                new EventBusPublisher(vertx.eventBus(), vertx.getOrCreateContext(), 2, true));
        CommandEndpoint.register(vertx, exchange, System::currentTimeMillis)
                .onComplete(ctx.succeeding(e -> {
                    endpoint = e;
                    ctx.completeNow();
                }));
    }

    @AfterEach
    void stop() {
        exchange.close();
    }

    private static JsonObject order(long id, String account, String side, String price, long qty) {
        return new JsonObject().put("type", "NEW_ORDER").put("order_id", id).put("account", account)
                .put("symbol", "600000.SH").put("side", side).put("order_type", "LIMIT").put("tif", "GTC")
                .put("price", price).put("qty", qty);
    }

    @Test
    void newOrderIsAcceptedAndTheReplyCarriesItsEvents(Vertx vertx, VertxTestContext ctx) {
        vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order(1, "alice", "BUY", "10.40", 100))
                .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
                    JsonObject r = reply.body();
                    assertEquals(0, r.getInteger("code"));
                    assertTrue(r.getLong("journal_seq") >= 0);
                    JsonObject accepted = r.getJsonArray("events").getJsonObject(0);
                    assertEquals("ACCEPTED", accepted.getString("type"));
                    assertEquals("10.40", accepted.getString("price"));
                    assertEquals(100, accepted.getLong("leaves_qty"));
                    ctx.completeNow();
                })));
    }

    @Test
    void crossingOrdersTradeAndTheTradeIsPublishedOnBothAddresses(Vertx vertx, VertxTestContext ctx) {
        Checkpoint seen = ctx.checkpoint(2);
        vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.EVENTS, m -> onTrade(m, ctx, seen));
        vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.events("600000.SH"), m -> onTrade(m, ctx, seen));
        vertx.eventBus().request(ExchangeAddresses.COMMANDS, order(10, "alice", "SELL", "10.45", 200))
                .compose(r -> vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS,
                        order(11, "bob", "BUY", "10.50", 100)))
                .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
                    JsonObject trade = reply.body().getJsonArray("events").getJsonObject(1);
                    assertEquals("TRADE", trade.getString("type"));
                    assertEquals("10.45", trade.getString("price"), "the maker's price");
                })));
    }

    private static void onTrade(Message<JsonObject> m, VertxTestContext ctx, Checkpoint seen) {
        if (m.body().getString("type").equals("TRADE")) {
            ctx.verify(() -> {
                assertEquals(11, m.body().getLong("order_id"));
                assertEquals(10, m.body().getLong("counter_order_id"));
                assertEquals(100, m.body().getLong("counter_leaves_qty"));
                assertEquals("600000.SH", m.headers().get("symbol"));
                seen.flag();
            });
        }
    }

    @Test
    void malformedBodiesAreAnsweredWithMinus4010AndTheEndpointKeepsServing(Vertx vertx, VertxTestContext ctx) {
        Checkpoint replies = ctx.checkpoint(4);
        for (Object body : new Object[] {"not json", new JsonObject().put("type", "NEW_ORDER"), 3.14,
                order(5, "a", "UP", "1.00", 100)}) {
            vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, body)
                    .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
                        assertEquals(-4010, reply.body().getInteger("code"), reply.body().encode());
                        assertEquals("REJECTED",
                                reply.body().getJsonArray("events").getJsonObject(0).getString("type"));
                        replies.flag();
                    })));
        }
    }

    @Test
    void ruleViolationIsARejectedResultNotAFailure(Vertx vertx, VertxTestContext ctx) {
        vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order(20, "alice", "BUY", "99.00", 100))
                .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
                    assertEquals(-5004, reply.body().getInteger("code"));
                    assertEquals("PRICE_OUTSIDE_BAND", reply.body().getString("result"));
                    ctx.completeNow();
                })));
    }

    @Test
    void traceParentHeaderTravelsIntoTheCommandAndItsEvents(Vertx vertx, VertxTestContext ctx) {
        vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.events("600000.SH"), m -> {
            if (m.body().getLong("order_id") == 30) {
                ctx.verify(() -> {
                    assertEquals(TRACE, m.body().getString("traceparent"));
                    assertEquals(TRACE, m.headers().get(ExchangeAddresses.TRACEPARENT_HEADER));
                    ctx.completeNow();
                });
            }
        });
        vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order(30, "alice", "BUY", "10.40", 100),
                new DeliveryOptions().addHeader("traceparent", TRACE))
                .onComplete(ctx.succeeding(reply -> ctx.verify(() ->
                        assertEquals(TRACE, reply.headers().get("traceparent")))));
    }

    @Test
    void eventsOfOneSymbolArriveInSequenceOrder(Vertx vertx, VertxTestContext ctx) throws Exception {
        int orders = 300;
        List<Long> seqs = new ArrayList<>();
        vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.events("600000.SH"), m -> {
            seqs.add(m.body().getLong("seq"));
            if (seqs.size() == orders) {
                ctx.verify(() -> {
                    for (int i = 1; i < seqs.size(); i++) {
                        assertTrue(seqs.get(i) > seqs.get(i - 1), "seq " + seqs.get(i) + " after " + seqs.get(i - 1));
                    }
                    ctx.completeNow();
                });
            }
        });
        for (int i = 0; i < orders; i++) {
            vertx.eventBus().request(ExchangeAddresses.COMMANDS, order(100 + i, "alice", "BUY", "10.40", 100));
        }
        assertTrue(ctx.awaitCompletion(10, TimeUnit.SECONDS));
    }

    @Test
    void closedEndpointNoLongerServes(Vertx vertx, VertxTestContext ctx) {
        endpoint.close()
                .compose(v -> vertx.eventBus().request(ExchangeAddresses.COMMANDS, order(40, "a", "BUY", "10.40", 100),
                        new DeliveryOptions().setSendTimeout(500)))
                .onComplete(ctx.failing(e -> ctx.completeNow()));
    }
}
