package org.opentrade.market.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.market.adapter.http.Caller;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.port.HistorySink;

/**
 * The stream wiring over a board fed by hand, with times chosen by the test (the board's clock and the trades'):
 * what the K-line channels say about a bar's close when trades and the clock come in either order.
 */
class StreamWiringKlineCloseTest {
    private static final String SYM = "600000.SH";
    private static final long T = LocalDateTime.of(2026, 1, 5, 10, 0).atZone(ZoneId.of("Asia/Shanghai")).toInstant()
            .toEpochMilli();
    private static final HistorySink NO_HISTORY = org.opentrade.market.port.NoHistory.INSTANCE;

    private final Vertx vertx = Vertx.vertx();
    private final Context owner = vertx.getOrCreateContext();
    private MarketBoard board;
    private long seq;

    @AfterEach
    void tearDown() {
        get(vertx.close().toCompletionStage().toCompletableFuture());
    }

    private <T> T onOwner(Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        owner.runOnContext(v -> {
            try {
                f.complete(action.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return get(f);
    }

    private static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T await(Future<T> f) {
        return get(f.toCompletionStage().toCompletableFuture());
    }

    /** The board and its wiring on the owner context; returns the port of a server mounting the stream. */
    private int start() {
        return onOwner(() -> {
            board = new MarketBoard(List.of(new Instrument(SYM, "Test", "SH_MAIN", 1000, 1, 100, 1_000_000, 10,
                    2_000_000, 45)), MarketCalendar.shanghaiContinuous(), 100, 10, NO_HISTORY, 5, Runnable::run);
            board.startAt(0, 0);
            board.loadBooks(List.of(new BookSnapshot(0, 0, SYM, List.of(), List.of(), List.<OrderView>of(), List.of(),
                    1000, 1000, 1000, 1000, 1000, 0, 0, 0, T, 0)), true);
            StreamWiring wiring = new StreamWiring(vertx, board, new StreamWiring.Options(StreamOptions.defaults(),
                    plan -> 100));
            board.setListener(wiring);
            Router router = Router.router(vertx);
            wiring.mount(router, req -> new Caller("dev-1", "key-1", "free", null));
            return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
        }).toCompletionStage().toCompletableFuture().join().actualPort();
    }

    private void trade(long time) {
        seq++;
        ExchangeEvent e = new ExchangeEvent(seq, 0, EventType.TRADE, 1000 + seq, "taker", 500 + seq, "maker", SYM,
                Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 100, 0, 100, 0, ResultCode.OK, time, null);
        onOwner(() -> {
            board.onEvent(e);
            return null;
        });
    }

    private void boardTime(long nowMs) {
        onOwner(() -> {
            board.onTime(nowMs);
            return null;
        });
    }

    /**
     * A 5m bar whose last minute had no trade, and the next bar's first trade comes before the board's clock has
     * passed the period (the clock runs 2 s behind, the trades do not): the bar is sent closed before the next
     * one begins, not left open.
     */
    @Test
    void aBarOpenWhenTheNextBarBeginsIsSentClosedFirst() throws Exception {
        int port = start();
        LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        WebSocket ws = await(vertx.createWebSocketClient().connect(port, "127.0.0.1", "/v1/stream/market"));
        ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
        String channel = "klines:5m:" + SYM;
        ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(channel))
                .encode());
        assertEquals("subscribed", poll(frames).getString("type"));

        trade(T + 60_000); // 10:01, the 10:00 bar's second minute
        boardTime(T + 120_001); // 10:01 closes; nothing in 10:02 … 10:04
        trade(T + 300_500); // 10:05:00.5, before the board's clock reached 10:05

        List<JsonObject> bars = new ArrayList<>();
        while (bars.isEmpty() || time(bars.get(bars.size() - 1)) != T + 300_000) {
            JsonObject f = poll(frames);
            if (channel.equals(f.getString("channel"))) {
                bars.add(f.getJsonObject("data"));
            }
        }
        JsonObject lastOfTheOld = bars.get(bars.size() - 2);
        assertEquals(T, time(lastOfTheOld), bars.toString());
        assertEquals(true, lastOfTheOld.getBoolean("closed"), "the 10:00 bar closed before 10:05 begins: " + bars);
    }

    private static long time(JsonObject bar) {
        return Instant.parse(bar.getString("time")).toEpochMilli();
    }

    private static JsonObject poll(LinkedBlockingQueue<JsonObject> frames) throws InterruptedException {
        JsonObject f;
        do {
            f = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(f, "no frame within 10 s");
        } while ("heartbeat".equals(f.getString("type")));
        return f;
    }
}
