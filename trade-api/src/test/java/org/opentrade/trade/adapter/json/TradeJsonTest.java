package org.opentrade.trade.adapter.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;

/** The hand-written order encoding and times against Jackson's bytes and the JDK formatter's text. */
class TradeJsonTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static String randomString(Random r) {
        int n = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            if (k == 3 && r.nextInt(8) == 0) {
                sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a surrogate pair
                continue;
            }
            sb.append(k == 0 ? (char) r.nextInt(0x20) : k == 1 ? "\"\\/\u007f".charAt(r.nextInt(4))
                    : k == 2 && r.nextInt(8) == 0 ? (char) (0x80 + r.nextInt(0xFF80)) : (char) (0x20 + r.nextInt(0x5f)));
        }
        return sb.toString();
    }

    @Test
    void timesAreFormattedAsTheJdkFormatterFormatsThem() {
        Random r = new Random(3);
        long[] edges = {0, -1, 1, 86_399_999, 86_400_000, 951_782_400_000L, 4_107_456_000_000L, -62_135_596_800_001L,
            -62_135_596_800_000L, 253_402_300_799_999L, 253_402_300_800_000L, -62_200_000_000_000L, 300_000_000_000_000L};
        for (long ms : edges) {
            assertEquals(REFERENCE.format(Instant.ofEpochMilli(ms)), TradeJson.time(ms), "ms " + ms);
        }
        for (int i = 0; i < 200_000; i++) {
            long ms = i % 2 == 0 ? 1_700_000_000_000L + r.nextLong(1_000_000_000_000L)
                    : r.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            assertEquals(REFERENCE.format(Instant.ofEpochMilli(ms)), TradeJson.time(ms), "ms " + ms);
            assertEquals(REFERENCE.format(Instant.ofEpochMilli(ms)), TradeJson.time(ms), "ms again " + ms);
        }
    }

    @Test
    void anOrderEncodesToTheBytesOfItsJsonObject() {
        Random r = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            long t = 1_700_000_000_000L + r.nextInt(1_000_000);
            Order o = new Order(r.nextInt(10) == 0 ? null : Long.toString(r.nextLong()), r.nextLong(), "dev_1",
                    r.nextInt(10) == 0 ? randomString(r) : "c-" + i, r.nextInt(10) == 0 ? null : "600000.SH",
                    Side.values()[r.nextInt(2)], OrderType.values()[r.nextInt(OrderType.values().length)],
                    TimeInForce.values()[r.nextInt(TimeInForce.values().length)], r.nextInt(1_000_000),
                    r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000), r.nextInt(3) == 0 ? 0 : r.nextInt(100_000),
                    r.nextInt(1000), r.nextInt(1000), r.nextInt(3) == 0 ? 0 : r.nextLong(), r.nextLong(),
                    OrderStatus.values()[r.nextInt(OrderStatus.values().length)], r.nextInt(3) == 0 ? randomString(r) : null,
                    r.nextInt(), t, t + r.nextInt(2) * r.nextInt(100_000), r.nextLong());
            assertEquals(TradeJson.order(o).toBuffer(), TradeJson.orderBuffer(o), o::toString);
        }
    }
}
