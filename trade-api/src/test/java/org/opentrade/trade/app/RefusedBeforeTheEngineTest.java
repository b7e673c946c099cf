package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.ResultCode;

/**
 * An order the exchange refuses before its engine (a full ring, a shard shutting down) gets no event in the
 * feed: only the command's answer says it was rejected. That answer is logged (a {@code SendRejected}
 * intent), so a start that rebuilds from the log, with no snapshot, finds the order rejected as its caller
 * was told, and does not send it to the exchange again. An event-bus interceptor plays the refusal.
 */
class RefusedBeforeTheEngineTest {
    private static final String DEV = "dev_refused";

    @TempDir
    Path dir;

    /** NEW commands of {@link #DEV} that reached the bus. */
    private final AtomicInteger newCommands = new AtomicInteger();
    /** While set, {@link #DEV}'s NEW commands are answered "overloaded" before the exchange sees them. */
    private volatile boolean refusing = true;

    private final Handler<DeliveryContext<Object>> refuse = dc -> {
        // One process: commands travel the bus as objects.
        if (dc.body() instanceof Command c && c.type() == CommandType.NEW_ORDER && c.account().equals(DEV)) {
            newCommands.incrementAndGet();
            if (refusing) {
                dc.message().reply(ExchangeJson.toJson(CommandResult.refused(c, ResultCode.ENGINE_OVERLOADED)));
                return;
            }
        }
        dc.next();
    };

    @Test
    void aRefusalTheFeedNeverCarriesIsLoggedSoARebuildKeepsTheOrderRejectedAndDoesNotSendItAgain() throws Exception {
        String before;
        try (TradeHarness h = TradeHarness.start(dir)) {
            h.vertx.eventBus().addOutboundInterceptor(refuse);
            HttpResponse<Buffer> r = h.order(DEV, TradeHarness.limit("r1", "601398.SH", "buy", "7.10", 100));
            assertEquals(503, r.statusCode(), r.bodyAsString()); // overloaded: retry later
            assertEquals(ResultCode.ENGINE_OVERLOADED.code(), r.bodyAsJsonObject().getInteger("error_no"), r.bodyAsString());
            before = order(h);
            assertEquals("rejected", new JsonObject(before).getString("status"), before);
            assertEquals(1, newCommands.get());
            refusing = false;
        }
        try (Stream<Path> files = Files.walk(dir.resolve("trade/snapshots"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); // rebuild from the log alone
        }
        try (TradeHarness h = TradeHarness.start(dir)) {
            h.vertx.eventBus().addOutboundInterceptor(refuse);
            TradeRestartScenario.caughtUp(h);
            assertEquals(before, order(h), "the order after a rebuild from the intent log");
            assertEquals(1, newCommands.get(), "a rejected order is not sent to the exchange again");
        }
    }

    private static String order(TradeHarness h) throws Exception {
        HttpResponse<Buffer> r = h.get(DEV, "/v1/orders?status=all");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).encode();
    }
}
