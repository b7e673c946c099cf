package org.opentrade.market.adapter.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.exchange.model.Price;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;

/** The K-line page written as bytes ({@link org.opentrade.common.json.JsonBytes}) against the object mapping. */
class MarketJsonTest {

    @Test
    void aKlinePageWrittenAsBytesIsTheBytesJacksonWritesForTheObjectMapping() {
        SplittableRandom r = new SplittableRandom(7);
        List<Bar> bars = new ArrayList<>();
        long[] times = {0L, 1L, 999L, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
                1_798_761_540_000L, 253_402_300_799_999L /* 9999-12-31T23:59:59.999 */};
        for (long t : times) {
            bars.add(new Bar("600519.SH", Interval.M1, t, 0, 5, 1, 1_000_000_000L, 0, 0, 0, 0));
        }
        for (int i = 0; i < 2_000; i++) {
            long t = r.nextLong(0, 253_402_300_800_000L);
            bars.add(new Bar("600519.SH", Interval.M1, t, r.nextLong(1, 10_000_000_000L), r.nextLong(1, 1000),
                    r.nextLong(0, 100), r.nextLong(1, 99), r.nextLong(0, Long.MAX_VALUE), r.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE),
                    r.nextLong(0, 1_000_000), 0));
        }
        JsonArray expected = new JsonArray();
        bars.forEach(b -> expected.add(MarketJson.bar(b)));
        assertEquals(new JsonObject().put("symbol", "600519.SH").put("interval", "1m").put("bars", expected)
                .put("next_cursor", "123").toBuffer(), MarketJson.klines("600519.SH", "1m", bars, 123L));
        assertEquals(new JsonObject().put("symbol", "A").put("interval", "1d").put("bars", new JsonArray())
                .putNull("next_cursor").toBuffer(), MarketJson.klines("A", "1d", List.of(), null));
    }

    @Test
    void decimalsAndPricesAreWrittenAsTheObjectMappingWritesThem() {
        // Long.MIN_VALUE left out: Price.appendTo has no text for it (JsonBytes writes -92233720368547758.08)
        long[] values = {0, -1, 5, -5, 99, -100, 12_345, Price.NONE, Price.MAX, Long.MAX_VALUE, Long.MIN_VALUE + 1};
        for (long v : values) {
            JsonBytes w = new JsonBytes(1);
            w.raw("{\"d\":").decimal(v).raw(",\"p\":").price(v).raw('}');
            assertEquals(new JsonObject().put("d", MarketJson.decimal(v)).put("p", MarketJson.price(v)).toBuffer(),
                    w.toBuffer(), "value " + v);
        }
    }
}
