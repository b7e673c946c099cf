package org.opentrade.exchange.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * The feed shapes of {@link ExchangeJson} (batches, book and account snapshots, order views), kept
 * apart so each file stays readable; callers use {@link ExchangeJson}. Stateless and thread-safe.
 */
final class FeedJson {
    private FeedJson() {
    }

    // ------------------------------------------------------------------ feed batches

    static JsonObject toJson(FeedBatch b) {
        JsonArray events = new JsonArray(new ArrayList<>(b.events().size()));
        for (ExchangeEvent e : b.events()) {
            events.add(ExchangeJson.toJson(e));
        }
        JsonObject j = new JsonObject().put("shard", b.shard()).put("code", b.code().code());
        if (b.message() != null) {
            j.put("message", b.message());
        }
        return j.put("head_seq", b.headSeq()).put("first_kept_seq", b.firstKeptSeq()).put("events", events);
    }

    static FeedBatch feedBatchFromJson(Object json) {
        JsonFields f = JsonFields.of(json, "feed batch");
        int shard = f.requiredInt("shard");
        ResultCode code = resultCode("feed batch", f.requiredInt("code"));
        String message = f.optionalText("message");
        long head = f.requiredLong("head_seq");
        long firstKept = f.requiredLong("first_kept_seq");
        JsonArray a = f.optionalArray("events");
        List<ExchangeEvent> events = a == null ? List.of()
                : f.list("events", a, e -> ExchangeJson.eventFromJson(asObject(e, "event")));
        return new FeedBatch(shard, code, message, head, firstKept, events);
    }

    // ------------------------------------------------------------------ book snapshots

    static JsonObject toJson(BookSnapshot s) {
        JsonObject j = new JsonObject().put("shard", s.shard()).put("seq", s.seq()).put("symbol", s.symbol())
                .put("bids", levels(s.bids())).put("asks", levels(s.asks()));
        if (s.orders() != null) {
            j.put("orders", orders(s.orders()));
        }
        if (s.stops() != null) {
            j.put("stops", orders(s.stops()));
        }
        JsonFields.putPrice(j, "last", s.last());
        JsonFields.putPrice(j, "reference", s.reference());
        JsonFields.putPrice(j, "open", s.open());
        JsonFields.putPrice(j, "high", s.high());
        JsonFields.putPrice(j, "low", s.low());
        StringBuilder turnover = new StringBuilder(24);
        Price.appendTo(turnover, s.turnover());
        return j.put("volume", s.volume()).put("turnover", turnover.toString()).put("trades", s.trades())
                .put("time", s.time()).put("all_trades", s.allTrades());
    }

    static BookSnapshot bookSnapshotFromJson(Object json) {
        JsonFields f = JsonFields.of(json, "book snapshot");
        int shard = f.requiredInt("shard");
        long seq = f.requiredLong("seq");
        String symbol = f.requiredText("symbol");
        List<BookLevel> bids = f.list("bids", f.requiredArray("bids"), FeedJson::level);
        List<BookLevel> asks = f.list("asks", f.requiredArray("asks"), FeedJson::level);
        List<OrderView> orders = optionalOrders(f, "orders");
        List<OrderView> stops = optionalOrders(f, "stops");
        return new BookSnapshot(shard, seq, symbol, bids, asks, orders, stops, f.optionalPrice("last"),
                f.optionalPrice("reference"), f.optionalPrice("open"), f.optionalPrice("high"),
                f.optionalPrice("low"), f.optionalLong("volume", 0), f.optionalMoney("turnover"),
                f.optionalLong("trades", 0), f.optionalLong("time", 0), f.optionalLong("all_trades", -1));
    }

    // ------------------------------------------------------------------ orders and accounts

    static JsonObject toJson(OrderView o) {
        JsonObject j = new JsonObject().put("order_id", o.orderId());
        JsonFields.put(j, "account", o.account());
        JsonFields.put(j, "symbol", o.symbol());
        JsonFields.put(j, "side", o.side());
        JsonFields.put(j, "order_type", o.orderType());
        JsonFields.put(j, "tif", o.tif());
        JsonFields.putPrice(j, "price", o.price());
        JsonFields.putPrice(j, "stop_price", o.stopPrice());
        return j.put("qty", o.qty()).put("filled_qty", o.filledQty()).put("leaves_qty", o.leavesQty())
                .put("entered_at", o.enteredAt());
    }

    static OrderView orderViewFromJson(Object json) {
        JsonFields f = JsonFields.of(json, "order");
        return new OrderView(f.requiredLong("order_id"), f.optionalText("account"), f.optionalText("symbol"),
                f.requiredEnum("side", Side.class), f.requiredEnum("order_type", OrderType.class),
                f.requiredEnum("tif", TimeInForce.class), f.optionalPrice("price"), f.optionalPrice("stop_price"),
                f.requiredLong("qty"), f.optionalLong("filled_qty", 0), f.requiredLong("leaves_qty"),
                f.optionalLong("entered_at", 0));
    }

    static JsonObject toJson(AccountSnapshot a) {
        return new JsonObject().put("shard", a.shard()).put("seq", a.seq()).put("account", a.account())
                .put("orders", orders(a.orders()));
    }

    static AccountSnapshot accountSnapshotFromJson(Object json) {
        JsonFields f = JsonFields.of(json, "account snapshot");
        return new AccountSnapshot(f.requiredInt("shard"), f.requiredLong("seq"), f.requiredText("account"),
                f.list("orders", f.requiredArray("orders"), FeedJson::orderViewFromJson));
    }

    // ------------------------------------------------------------------ helpers

    static ResultCode resultCode(String what, int n) {
        ResultCode rc = ResultCode.ofCode(n);
        if (rc == null) {
            throw new IllegalArgumentException(what + ": unknown result code " + n);
        }
        return rc;
    }

    private static List<OrderView> optionalOrders(JsonFields f, String key) {
        JsonArray a = f.optionalArray(key);
        return a == null ? null : f.list(key, a, FeedJson::orderViewFromJson);
    }

    private static JsonArray orders(List<OrderView> orders) {
        JsonArray a = new JsonArray(new ArrayList<>(orders.size()));
        for (OrderView o : orders) {
            a.add(toJson(o));
        }
        return a;
    }

    private static JsonArray levels(List<BookLevel> levels) {
        JsonArray a = new JsonArray(new ArrayList<>(levels.size()));
        for (BookLevel l : levels) {
            a.add(new JsonArray().add(Price.format(l.price())).add(l.qty()).add(l.orders()));
        }
        return a;
    }

    /** A level {@code ["10.01", 300, 2]}: price, total quantity, number of orders. */
    private static BookLevel level(Object element) {
        if (!(element instanceof JsonArray a) || a.size() != 3) {
            throw new IllegalArgumentException("a level must be [price, qty, orders], got " + element);
        }
        long price = JsonFields.price("price", a.getValue(0));
        long qty = JsonFields.longValue("qty", a.getValue(1));
        long orders = JsonFields.longValue("orders", a.getValue(2));
        if (orders < 0 || orders > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("orders must be a non-negative 32-bit integer, got " + orders);
        }
        return new BookLevel(price, qty, (int) orders);
    }

    static JsonObject asObject(Object element, String what) {
        if (element instanceof JsonObject j) {
            return j;
        }
        throw new IllegalArgumentException(what + " must be a JSON object, got " + element);
    }
}
