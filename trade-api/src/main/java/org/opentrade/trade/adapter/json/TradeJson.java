package org.opentrade.trade.adapter.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;

/**
 * The one mapping of trading resources to DESIGN.md §3's shapes (REST bodies and stream payloads):
 * snake_case, money as decimal strings with two places, quantities integers, times RFC 3339 UTC with
 * milliseconds, enums in lower case. Stateless; any thread.
 */
public final class TradeJson {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TradeJson() {
    }

    /**
     * Epoch ms of 0001-01-01 and of 10000-01-01: inside, {@link #time} formats by hand (year 0 and before
     * are years of era in the pattern, so they stay with the formatter).
     */
    private static final long FAST_FROM = -62_135_596_800_000L;
    private static final long FAST_TO = 253_402_300_800_000L;

    /** The last time formatted (an order's created_at and updated_at are often the same ms); racy but immutable. */
    private static volatile Formatted last = new Formatted(0, TIME.format(Instant.ofEpochMilli(0)));

    private record Formatted(long ms, String text) {
    }

    /**
     * RFC 3339 UTC with milliseconds, exactly as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}; written by hand for
     * years 0000-9999 (the formatter cost a few percent of trade-api's CPU per order), by the formatter
     * outside them.
     */
    public static String time(long epochMs) {
        Formatted f = last;
        if (f.ms == epochMs) {
            return f.text;
        }
        if (epochMs < FAST_FROM || epochMs >= FAST_TO) {
            return TIME.format(Instant.ofEpochMilli(epochMs));
        }
        long days = Math.floorDiv(epochMs, 86_400_000L);
        int msOfDay = (int) Math.floorMod(epochMs, 86_400_000L);
        // days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        char[] c = new char[24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, month, 2);
        c[7] = '-';
        digits(c, 8, day, 2);
        c[10] = 'T';
        digits(c, 11, msOfDay / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, msOfDay / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, msOfDay / 1_000 % 60, 2);
        c[19] = '.';
        digits(c, 20, msOfDay % 1_000, 3);
        c[23] = 'Z';
        String text = new String(c);
        last = new Formatted(epochMs, text);
        return text;
    }

    private static void digits(char[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /** Hundredths as "12.34", zero as "0.00". */
    public static String money(long hundredths) {
        StringBuilder sb = new StringBuilder(16);
        Price.appendTo(sb, hundredths);
        return sb.toString();
    }

    /** A price, or null when there is none (0). */
    public static String price(long hundredths) {
        return hundredths == 0 ? null : money(hundredths);
    }

    public static String side(Side s) {
        return s == Side.BUY ? "buy" : "sell";
    }

    public static String type(OrderType t) {
        return TYPES[t.ordinal()];
    }

    public static String tif(TimeInForce t) {
        return TIFS[t.ordinal()];
    }

    private static final String[] TYPES = lower(OrderType.values());
    private static final String[] TIFS = lower(TimeInForce.values());

    private static String[] lower(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (Enum<?> v : values) {
            out[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
        }
        return out;
    }

    public static JsonObject order(Order o) {
        return new JsonObject().put("order_id", o.orderId()).put("client_order_id", o.clientOrderId())
                .put("symbol", o.symbol()).put("side", side(o.side())).put("type", type(o.type()))
                .put("time_in_force", tif(o.timeInForce())).put("qty", o.qty()).put("price", price(o.price()))
                .put("stop_price", price(o.stopPrice())).put("filled_qty", o.filledQty()).put("leaves_qty", o.leavesQty())
                .put("avg_fill_price", price(o.avgFillPrice())).put("status", o.status().wireName())
                .put("reject_reason", o.rejectReason()).put("created_at", time(o.createdAt()))
                .put("updated_at", time(o.updatedAt()));
    }

    /**
     * {@code order(o).toBuffer()} without the intermediate JsonObject: the same bytes (the REST answer of
     * a new order is on the order path), Jackson only when a string is not ASCII.
     */
    public static Buffer orderBuffer(Order o) {
        try {
            JsonBytes b = new JsonBytes(400);
            b.raw("{\"order_id\":").string(o.orderId()).raw(",\"client_order_id\":").string(o.clientOrderId())
                    .raw(",\"symbol\":").string(o.symbol()).raw(",\"side\":").string(side(o.side()))
                    .raw(",\"type\":").string(type(o.type())).raw(",\"time_in_force\":").string(tif(o.timeInForce()))
                    .raw(",\"qty\":").number(o.qty()).raw(",\"price\":").string(price(o.price()))
                    .raw(",\"stop_price\":").string(price(o.stopPrice())).raw(",\"filled_qty\":").number(o.filledQty())
                    .raw(",\"leaves_qty\":").number(o.leavesQty()).raw(",\"avg_fill_price\":").string(price(o.avgFillPrice()))
                    .raw(",\"status\":").string(o.status().wireName()).raw(",\"reject_reason\":").string(o.rejectReason())
                    .raw(",\"created_at\":").string(time(o.createdAt())).raw(",\"updated_at\":").string(time(o.updatedAt()))
                    .raw('}');
            return b.toBuffer();
        } catch (JsonBytes.Unsupported u) {
            return order(o).toBuffer();
        }
    }

    public static JsonObject fill(Fill f) {
        return new JsonObject().put("fill_id", f.fillId()).put("order_id", f.orderId())
                .put("client_order_id", f.clientOrderId()).put("symbol", f.symbol()).put("side", side(f.side()))
                .put("price", money(f.price())).put("qty", f.qty()).put("fee", money(f.fee()))
                .put("liquidity", f.maker() ? "maker" : "taker").put("time", time(f.time()));
    }
}
