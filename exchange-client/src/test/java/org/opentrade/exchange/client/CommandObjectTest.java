package org.opentrade.exchange.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/** A command sent as the object reads exactly as its JSON form does, refusals included. */
class CommandObjectTest {
    private static final long NOW = 1_767_225_600_000L;
    private static final String[] TEXTS = {null, "", " ", "600000.SH", " 600000.SH", "dev_1", "dev_1 ", "a b"};
    private static final String[] TRACES = {null, "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "junk"};
    private static final long[] PRICES = {Price.NONE, 1, 1001, Price.MAX, Price.MAX + 1, -5};

    private static <T> T pick(Random r, T[] values) {
        return r.nextInt(5) == 0 ? null : values[r.nextInt(values.length)];
    }

    private static Object read(Command c, boolean asObject, String header) {
        try {
            return asObject ? ExchangeJson.commandFromObject(c, NOW, header)
                    : ExchangeJson.commandFromJson(ExchangeJson.toJson(c), NOW, header);
        } catch (MalformedCommandException e) {
            return "refused: " + e.getMessage() + " / " + e.partial();
        }
    }

    @Test
    void anyCommandReadsAsItsJsonFormReads() {
        Random r = new Random(17);
        int taken = 0;
        for (int i = 0; i < 200_000; i++) {
            boolean typical = r.nextBoolean();
            CommandType type = typical ? CommandType.values()[r.nextInt(3)] : pick(r, CommandType.values());
            Command c = new Command(type, r.nextInt(4) == 0 ? r.nextInt(3) - 1 : 1 + r.nextInt(1_000_000),
                    typical ? "dev_1" : TEXTS[r.nextInt(TEXTS.length)], typical ? "600000.SH" : TEXTS[r.nextInt(TEXTS.length)],
                    pick(r, Side.values()), pick(r, OrderType.values()), pick(r, TimeInForce.values()),
                    PRICES[r.nextInt(PRICES.length)], PRICES[r.nextInt(PRICES.length)], r.nextInt(4) == 0 ? r.nextInt(3) - 1
                    : 100 * (1 + r.nextInt(100)), r.nextLong(), TRACES[r.nextInt(TRACES.length)]);
            String header = TRACES[r.nextInt(TRACES.length)];
            Object viaJson = read(c, false, header);
            assertEquals(viaJson, read(c, true, header), c::toString);
            if (viaJson instanceof Command) {
                taken++;
            }
        }
        assertTrue(taken > 10_000, "the random commands include many well-formed ones: " + taken);
    }

    @Test
    void onALocalBusTheCommandAndItsResultTravelAsTheObjects() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CommandCodecs.register(vertx);
            CommandCodecs.register(vertx);
            CommandResult result = new CommandResult(7, List.of(), ResultCode.OK);
            vertx.eventBus().<Object>consumer("test.commands", m -> m.reply(m.body() instanceof Command ? result : "json",
                    new DeliveryOptions().setCodecName(CommandCodecs.RESULT)));
            Command c = Command.limit(1, "dev_1", "600000.SH", Side.BUY, TimeInForce.GTC, 1001, 100, NOW);
            Object reply = vertx.eventBus().request("test.commands", c, new DeliveryOptions()
                    .setCodecName(CommandCodecs.COMMAND)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).body();
            assertSame(result, reply);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
