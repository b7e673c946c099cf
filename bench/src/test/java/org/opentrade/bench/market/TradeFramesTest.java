package org.opentrade.bench.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TradeFramesTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** A frame as market-api writes it: ServerFrames.data around MarketJson.trade. */
    private static String frame(long seq, long timeMs) {
        JsonObject data = new JsonObject().put("trade_id", "0-77").put("symbol", "600519.SH").put("price", "1500.00")
                .put("qty", 100).put("side", "buy").put("time", TIME.format(Instant.ofEpochMilli(timeMs))).put("seq", 77);
        return new JsonObject().put("channel", "trades:600519.SH").put("seq", seq).put("data", data).encode();
    }

    @Test
    void readsTheChannelSeqAndTheTradeTimeOfAMarketApiTradeFrame() {
        String f = frame(123_456, 1_796_183_788_252L);
        assertTrue(TradeFrames.isTrade(f));
        assertEquals(123_456, TradeFrames.seq(f), "the channel's seq, not the trade's own seq inside data");
        assertEquals(1_796_183_788_252L, TradeFrames.timeMillis(f));
    }

    @Test
    void parsesUtcMillisecondTimesExactlyAsJavaTimeDoes() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long ms = r.nextLong(-2_000_000_000_000L, 8_000_000_000_000L);
            String text = TIME.format(Instant.ofEpochMilli(ms));
            assertEquals(ms, TradeFrames.parseUtcMillis(text, 0), text);
        }
        assertEquals(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli(),
                TradeFrames.parseUtcMillis("2024-02-29T23:59:59.999Z", 0));
    }

    @Test
    void controlFramesSnapshotsAndMalformedTimesAreNotTrades() {
        assertFalse(TradeFrames.isTrade("{\"type\":\"heartbeat\",\"seqs\":{\"trades:600519.SH\":3},\"time\":\"x\"}"));
        assertFalse(TradeFrames.isTrade("{\"channel\":\"trades:600519.SH\",\"seq\":3,\"snapshot\":true,\"data\":null}"));
        assertFalse(TradeFrames.isTrade("{\"channel\":\"quotes:600519.SH\",\"seq\":3,\"data\":{}}"));
        assertEquals(-1, TradeFrames.parseUtcMillis("2024-02-29 23:59:59.999Z", 0));
        assertEquals(-1, TradeFrames.parseUtcMillis("2024-13-01T00:00:00.000Z", 0));
        assertEquals(-1, TradeFrames.timeMillis("{\"channel\":\"trades:X\",\"seq\":1,\"data\":{\"time\":\"soon\"}}"));
    }
}
