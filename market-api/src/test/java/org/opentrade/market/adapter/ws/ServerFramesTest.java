package org.opentrade.market.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.adapter.json.MarketJson;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;

/** The data frames written by the reused writer are the bytes Jackson writes for the same frame. */
class ServerFramesTest {
    private final JsonBytes writer = new JsonBytes(16);

    @Test
    void streamPayloadsAreWrittenAsJacksonWritesThem() {
        List<JsonObject> payloads = List.of(
                new JsonObject().put("trade_id", "600000.SH-17").put("symbol", "600000.SH").put("price", "10.01")
                        .put("qty", 300L).put("side", "buy").put("time", MarketJson.time(1_767_225_600_123L)).put("seq", 42L),
                MarketJson.depth("600000.SH", 97, List.of(new BookLevel(1001, 500, 2)), List.of()).put("type", "diff"),
                new JsonObject().put("symbol", "浦发银行 \"q\"\n").put("open", (String) null).put("closed", true)
                        .put("nested", new JsonArray().add(1).add(new JsonObject().put("k", -5L))));
        long seq = 1;
        for (JsonObject data : payloads) {
            String channel = "klines:1m:600000.SH";
            assertEquals(ServerFrames.data(channel, seq, data), ServerFrames.data(writer, channel, seq, data), data::encode);
            seq *= 1_000_003;
        }
    }

    @Test
    void aTradeWrittenStraightIsTheFrameOfItsJsonObject() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 2_000; i++) {
            Trade t = new Trade(r.nextInt(16), 1 + r.nextLong(Long.MAX_VALUE - 1), i % 7 == 0 ? "浦发 \"x\"" : "600000.SH",
                    1_767_225_600_000L + r.nextLong(400L * 86_400_000L), i % 11 == 0 ? 0 : 1 + r.nextInt(1_000_000),
                    r.nextInt(1_000_000), r.nextBoolean() ? Side.BUY : Side.SELL);
            long seq = 1 + r.nextInt(1_000_000);
            assertEquals(ServerFrames.data("trades:600000.SH", seq, MarketJson.trade(t)),
                    ServerFrames.data(writer, "trades:600000.SH", seq, w -> MarketJson.writeTrade(w, t)), t::toString);
        }
    }

    @Test
    void aLiveBarWrittenStraightIsTheFrameOfItsJsonObject() {
        java.util.Random r = new java.util.Random(7);
        Interval[] intervals = Interval.values();
        for (int i = 0; i < 2_000; i++) {
            long low = 1 + r.nextInt(1_000_000);
            Bar b = new Bar(i % 7 == 0 ? "浦发 \"x\"" : "600000.SH", intervals[i % intervals.length],
                    1_767_225_600_000L + r.nextLong(400L * 86_400_000L), low + r.nextInt(500), low + 600, low,
                    low + r.nextInt(600), r.nextInt(10_000_000), i % 13 == 0 ? 0 : r.nextLong(1L << 50),
                    r.nextInt(100_000), r.nextInt(1_000));
            boolean closed = r.nextBoolean();
            String channel = "klines:" + b.interval().code() + ":600000.SH";
            long seq = 1 + r.nextInt(1_000_000);
            assertEquals(ServerFrames.data(channel, seq, MarketJson.liveBar(b, closed)),
                    ServerFrames.data(writer, channel, seq, w -> MarketJson.writeLiveBar(w, b, closed)), b::toString);
        }
    }

    @Test
    void aPayloadWithoutAnExactFastFormIsLeftToJackson() {
        JsonObject data = new JsonObject().put("ratio", 1.5).put("n", new BigDecimal("12.30"));
        assertEquals(ServerFrames.data("quotes:600000.SH", 7, data), ServerFrames.data(writer, "quotes:600000.SH", 7, data));
        // The writer is usable again after the fallback.
        JsonObject plain = new JsonObject().put("a", 1);
        assertEquals(ServerFrames.data("trades:X", 8, plain), ServerFrames.data(writer, "trades:X", 8, plain));
    }
}
