package org.opentrade.exchange.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Universe;

/**
 * What market-api and trade-api see while the exchange cannot give them a universe: the reason, for their
 * /ready. An unreadable reply used to show as "waiting for the exchange" in market-api, and in trade-api the
 * parse error escaped the reply handler, so it never asked again and stayed not ready with no reason.
 */
class UniverseFetchTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static Universe universe() {
        return new Universe("continuous", "Asia/Shanghai", "15:00",
                List.of(new InstrumentInfo("600000.SH", "浦发银行", 1045, 1, 100, 1_000_000, 10, 0, 0)), List.of());
    }

    @Test
    void anUnreadableReplyIsNamedAsTheReasonAndAskedAgainUntilOneReads() throws Exception {
        JsonObject bad = ExchangeJson.toJson(universe());
        bad.getJsonArray("instruments").getJsonObject(0).put("prev_close", "ten");
        AtomicInteger asked = new AtomicInteger();
        MessageConsumer<JsonObject> exchange = vertx.eventBus().consumer(ExchangeAddresses.INSTRUMENTS,
                m -> m.reply(asked.incrementAndGet() <= 3 ? bad : ExchangeJson.toJson(universe())));
        exchange.completion().await(5, TimeUnit.SECONDS);
        List<String> reasons = new CopyOnWriteArrayList<>();

        Universe u = UniverseFetch.fetch(vertx, 20, reasons::add, "test").await(10, TimeUnit.SECONDS);

        assertEquals(universe(), u);
        assertEquals(4, asked.get());
        assertEquals(3, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).startsWith("the exchange's instruments reply is unreadable by this build: "), reasons.get(0));
        assertTrue(reasons.get(0).contains("prev_close"), reasons.get(0));
    }

    @Test
    void noExchangeYetAndARefusalAreToldApart() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        CompletableFuture<String> first = new CompletableFuture<>();
        var fetch = UniverseFetch.fetch(vertx, 20, r -> {
            reasons.add(r);
            first.complete(r);
        }, "test");
        first.get(5, TimeUnit.SECONDS);
        assertTrue(reasons.get(0).startsWith("waiting for the exchange (" + ExchangeAddresses.INSTRUMENTS), reasons.get(0));

        AtomicInteger asked = new AtomicInteger();
        vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.INSTRUMENTS,
                m -> m.reply(asked.incrementAndGet() == 1 ? new JsonObject().put("code", 7) : ExchangeJson.toJson(universe())))
                .completion().await(5, TimeUnit.SECONDS);
        assertEquals(universe(), fetch.await(10, TimeUnit.SECONDS));
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("the exchange refused the instruments request")), reasons.toString());
    }
}
