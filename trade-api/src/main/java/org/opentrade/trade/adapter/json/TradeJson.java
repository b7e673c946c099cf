package org.opentrade.trade.adapter.json;

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

    public static String time(long epochMs) {
        return TIME.format(Instant.ofEpochMilli(epochMs));
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
        return t.name().toLowerCase(Locale.ROOT);
    }

    public static String tif(TimeInForce t) {
        return t.name().toLowerCase(Locale.ROOT);
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

    public static JsonObject fill(Fill f) {
        return new JsonObject().put("fill_id", f.fillId()).put("order_id", f.orderId())
                .put("client_order_id", f.clientOrderId()).put("symbol", f.symbol()).put("side", side(f.side()))
                .put("price", money(f.price())).put("qty", f.qty()).put("fee", money(f.fee()))
                .put("liquidity", f.maker() ? "maker" : "taker").put("time", time(f.time()));
    }
}
