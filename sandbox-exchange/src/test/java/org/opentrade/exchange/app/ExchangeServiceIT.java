package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.client.ExchangeAddresses;

/** The whole exchange service on a real Vert.x with a journal in a temporary directory. */
class ExchangeServiceIT {
    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ExchangeConfig config(Path dataDir, boolean simulator) {
        return ExchangeConfig.load(ConfigLoader.of(DayEnds.awayFromNow(Map.of("OPENTRADE_EXCHANGE_DATA_DIR",
                dataDir.toString(), "OPENTRADE_EXCHANGE_FSYNC", "none", "OPENTRADE_SIMULATOR_ENABLED",
                String.valueOf(simulator))),
                Map.of()));
    }

    private <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void simulatorTradesWithinSecondsAndARestartRecoversTheJournal(@TempDir Path dir) throws Exception {
        CompletableFuture<JsonObject> firstTrade = new CompletableFuture<>();
        MessageConsumer<JsonObject> c = vertx.eventBus().consumer(ExchangeAddresses.EVENTS, m -> {
            if ("TRADE".equals(m.body().getString("type"))) {
                firstTrade.complete(m.body());
            }
        });
        await(c.completion());
        ExchangeService service = new ExchangeService(config(dir, true));
        String id = await(vertx.deployVerticle(service));
        assertTrue(service.isReady());
        JsonObject trade = firstTrade.get(15, TimeUnit.SECONDS);
        assertTrue(trade.getString("account").startsWith("sim-"), trade.encode());
        ExchangeMetrics m = service.metrics();
        assertTrue(m.commandsProcessed() > 0 && m.trades() > 0 && m.eventsPublished() > 0, m.toString());
        assertTrue(m.headSeqs().length > 0 && java.util.Arrays.stream(m.headSeqs()).sum() >= m.trades(),
                "every trade is an event of some shard's feed: " + java.util.Arrays.toString(m.headSeqs()));
        assertTrue(java.util.Arrays.stream(m.queuedCommands()).allMatch(q -> q >= 0 && q <= 1 << 16),
                java.util.Arrays.toString(m.queuedCommands()));
        String text = m.prometheusText();
        assertTrue(text.contains("# TYPE opentrade_exchange_journal_commit_seconds histogram")
                && !text.contains("opentrade_exchange_journal_commit_seconds_count 0\n"), "batch commits are timed: " + text);
        await(vertx.undeploy(id));
        assertTrue(!service.isReady());
        assertTrue(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith("shard-")));

        ExchangeService restarted = new ExchangeService(config(dir, true));
        await(vertx.deployVerticle(restarted));
        assertTrue(restarted.isReady());
        assertEquals(0, restarted.metrics().liveOrders(), "the clean stop canceled every simulator order");
        JsonObject reply = await(vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, new JsonObject()
                .put("type", "NEW_ORDER").put("order_id", 1).put("account", "alice").put("symbol", "600000.SH")
                .put("side", "BUY").put("price", "10.00").put("qty", 100))).body();
        assertEquals(0, reply.getInteger("code"), reply.encode());
    }

    @Test
    void withoutTheSimulatorTheExchangeOnlyTicks(@TempDir Path dir) throws Exception {
        ExchangeService service = new ExchangeService(config(dir, false));
        await(vertx.deployVerticle(service));
        CompletableFuture<Long> ticked = new CompletableFuture<>();
        long timer = vertx.setPeriodic(50, t -> {
            if (service.metrics().commandsProcessed() > 0) {
                ticked.complete(service.metrics().commandsProcessed());
            }
        });
        assertTrue(ticked.get(5, TimeUnit.SECONDS) > 0, "TIME_TICK commands reach the shards");
        vertx.cancelTimer(timer);
        assertEquals(0, service.metrics().simulatorCommands());
        assertEquals(0, service.metrics().liveOrders());
    }
}
