package org.opentrade.trade.adapter.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.opentrade.common.json.IsoTimes;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;

/**
 * The one mapping of trading resources to the shapes of docs/contracts.md (REST bodies and stream payloads):
 * snake_case, money as decimal strings with two places, quantities integers, times RFC 3339 UTC with
 * milliseconds, enums in lower case. Stateless; any thread.
 */
public final class TradeJson {
    private TradeJson() {
    }

    /** The last time formatted (an order's created_at and updated_at are often the same ms); racy but immutable. */
    private static volatile Formatted last = new Formatted(0, IsoTimes.format(0));

    private record Formatted(long ms, String text) {
    }

    /** RFC 3339 UTC with milliseconds ({@link IsoTimes}: by hand, exactly as its JDK formatter writes it). */
    public static String time(long epochMs) {
        Formatted f = last;
        if (f.ms == epochMs) {
            return f.text;
        }
        String text = IsoTimes.format(epochMs);
        last = new Formatted(epochMs, text);
        return text;
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
     * {@code order(o).toBuffer()} without the intermediate JsonObject: the same bytes ({@link JsonBytes} writes
     * what Jackson writes for strings, numbers and times), for the REST answer of a new order on the order path.
     */
    public static Buffer orderBuffer(Order o) {
        JsonBytes b = new JsonBytes(400);
        b.raw("{\"order_id\":").string(o.orderId()).raw(",\"client_order_id\":").string(o.clientOrderId())
                .raw(",\"symbol\":").string(o.symbol()).raw(",\"side\":").string(side(o.side()))
                .raw(",\"type\":").string(type(o.type())).raw(",\"time_in_force\":").string(tif(o.timeInForce()))
                .raw(",\"qty\":").number(o.qty()).raw(",\"price\":").string(price(o.price()))
                .raw(",\"stop_price\":").string(price(o.stopPrice())).raw(",\"filled_qty\":").number(o.filledQty())
                .raw(",\"leaves_qty\":").number(o.leavesQty()).raw(",\"avg_fill_price\":").string(price(o.avgFillPrice()))
                .raw(",\"status\":").string(o.status().wireName()).raw(",\"reject_reason\":").string(o.rejectReason())
                .raw(",\"created_at\":").time(o.createdAt()).raw(",\"updated_at\":").time(o.updatedAt())
                .raw('}');
        return b.toBuffer();
    }

    public static JsonObject fill(Fill f) {
        return new JsonObject().put("fill_id", f.fillId()).put("order_id", f.orderId())
                .put("client_order_id", f.clientOrderId()).put("symbol", f.symbol()).put("side", side(f.side()))
                .put("price", money(f.price())).put("qty", f.qty()).put("fee", money(f.fee()))
                .put("liquidity", f.maker() ? "maker" : "taker").put("time", time(f.time()));
    }
}
