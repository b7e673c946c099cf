package org.opentrade.exchange.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

class FeedJsonTest {
    private static final OrderView BID = new OrderView(17, "alice", "600000.SH", Side.BUY, OrderType.LIMIT,
            TimeInForce.GTC, 1001, Price.NONE, 300, 100, 200, 1_767_225_600_000L);
    private static final OrderView STOP = new OrderView(19, "carol", "600000.SH", Side.SELL, OrderType.STOP,
            TimeInForce.DAY, Price.NONE, 990, 100, 0, 100, 1_767_225_600_500L);
    private static final ExchangeEvent TRADE = new ExchangeEvent(98, 1, EventType.TRADE, 18, "bob", 17, "alice",
            "600000.SH", Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1001, 100, 0, 100, 200, ResultCode.OK, 5, null);

    /** Through text, as across a cluster. */
    private static JsonObject wire(JsonObject j) {
        return new JsonObject(j.encode());
    }

    private static String rejection(Function<JsonObject, ?> reader, String json) {
        return assertThrows(IllegalArgumentException.class, () -> reader.apply(new JsonObject(json))).getMessage();
    }

    @Test
    void feedBatchRoundTripsWithItsCodeAsAnInteger() {
        FeedBatch b = FeedBatch.of(1, 98, 3, List.of(TRADE));
        JsonObject j = ExchangeJson.toJson(b);
        assertEquals(0, j.getInteger("code"));
        assertFalse(j.containsKey("message"));
        assertEquals(98, j.getLong("head_seq"));
        assertEquals(3, j.getLong("first_kept_seq"));
        assertEquals(b, ExchangeJson.feedBatchFromJson(wire(j)));

        FeedBatch refused = FeedBatch.refused(1, ResultCode.EVENTS_NOT_RETAINED, "pruned", 98, 50);
        JsonObject r = ExchangeJson.toJson(refused);
        assertEquals(-5010, r.getInteger("code"));
        assertEquals(new JsonArray(), r.getJsonArray("events"));
        assertEquals(refused, ExchangeJson.feedBatchFromJson(wire(r)));
    }

    @Test
    void bookSnapshotWritesLevelsAsPriceQtyCountAndLeavesOutAbsentPrices() {
        BookSnapshot s = new BookSnapshot(1, 98, "600000.SH", List.of(new BookLevel(1001, 300, 2)),
                List.of(new BookLevel(1002, 100, 1), new BookLevel(1005, 700, 3)), List.of(BID), List.of(STOP),
                1001, 1000, 995, 1010, 990, 12_300, 123_456_789_012_345L, 42, 1_767_225_600_000L, 4_242);
        JsonObject j = ExchangeJson.toJson(s);
        assertEquals("[[\"10.01\",300,2]]", j.getJsonArray("bids").encode());
        assertEquals("1234567890123.45", j.getString("turnover"), "money beyond Price.MAX survives");
        assertEquals("10.01", j.getString("last"));
        assertEquals(s, ExchangeJson.bookSnapshotFromJson(wire(j)));
        j.remove("all_trades");
        assertEquals(-1, ExchangeJson.bookSnapshotFromJson(wire(j)).allTrades(),
                "an exchange that does not keep the all-time count says so");

        BookSnapshot quiet = new BookSnapshot(0, 5, "000001.SZ", List.of(), List.of(), null, null, Price.NONE, 1000,
                Price.NONE, Price.NONE, Price.NONE, 0, 0, 0, 0, 0);
        JsonObject q = ExchangeJson.toJson(quiet);
        for (String absent : List.of("orders", "stops", "last", "open", "high", "low")) {
            assertFalse(q.containsKey(absent), absent);
        }
        assertEquals("0.00", q.getString("turnover"));
        BookSnapshot back = ExchangeJson.bookSnapshotFromJson(wire(q));
        assertNull(back.orders());
        assertEquals(quiet, back);
    }

    @Test
    void orderViewsAndAccountSnapshotsRoundTrip() {
        JsonObject stop = ExchangeJson.toJson(STOP);
        assertFalse(stop.containsKey("price"));
        assertEquals("9.90", stop.getString("stop_price"));
        assertEquals(STOP, ExchangeJson.orderViewFromJson(wire(stop)));
        assertEquals(BID, ExchangeJson.orderViewFromJson(wire(ExchangeJson.toJson(BID))));

        AccountSnapshot a = new AccountSnapshot(1, 98, "alice", List.of(BID, STOP));
        assertEquals(a, ExchangeJson.accountSnapshotFromJson(wire(ExchangeJson.toJson(a))));
    }

    @Test
    void badFeedBatchesAreRejectedNamingTheField() {
        Function<JsonObject, ?> read = ExchangeJson::feedBatchFromJson;
        assertEquals("feed batch: head_seq is required",
                rejection(read, "{\"shard\":0,\"code\":0,\"first_kept_seq\":1}"));
        assertEquals("feed batch: shard must be an integer, got \"0\"",
                rejection(read, "{\"shard\":\"0\",\"code\":0,\"head_seq\":1,\"first_kept_seq\":1}"));
        assertEquals("feed batch: unknown result code -77",
                rejection(read, "{\"shard\":0,\"code\":-77,\"head_seq\":1,\"first_kept_seq\":1}"));
        assertEquals("feed batch: events must be an array, got {}",
                rejection(read, "{\"shard\":0,\"code\":0,\"head_seq\":1,\"first_kept_seq\":1,\"events\":{}}"));
        assertEquals("feed batch: events[0]: event: type is required: one of [ACCEPTED, REJECTED, TRADE,"
                        + " CANCELED, REPLACED, EXPIRED, TRIGGERED]",
                rejection(read, "{\"shard\":0,\"code\":0,\"head_seq\":1,\"first_kept_seq\":1,\"events\":[{\"seq\":1}]}"));
        assertEquals("feed batch: events[0]: event must be a JSON object, got 7",
                rejection(read, "{\"shard\":0,\"code\":0,\"head_seq\":1,\"first_kept_seq\":1,\"events\":[7]}"));
        assertEquals("feed batch must be a JSON object, got nothing",
                assertThrows(IllegalArgumentException.class, () -> ExchangeJson.feedBatchFromJson(null)).getMessage());
    }

    @Test
    void badEventsAreRejectedNamingTheField() {
        Function<JsonObject, ?> read = ExchangeJson::eventFromJson;
        assertEquals("event: price must be a decimal string with at most 2 places, got 10.01",
                rejection(read, "{\"type\":\"TRADE\",\"price\":10.01}"));
        assertEquals("event: side must be one of [BUY, SELL], got \"UP\"",
                rejection(read, "{\"type\":\"TRADE\",\"side\":\"UP\"}"));
        assertEquals("event: qty must be an integer, got 1.5", rejection(read, "{\"type\":\"TRADE\",\"qty\":1.5}"));
    }

    @Test
    void badSnapshotsAndOrdersAreRejectedNamingTheField() {
        Function<JsonObject, ?> book = ExchangeJson::bookSnapshotFromJson;
        String head = "{\"shard\":0,\"seq\":5,\"symbol\":\"X\",\"asks\":[],";
        assertEquals("book snapshot: bids[1]: a level must be [price, qty, orders], got [\"10.02\",100]",
                rejection(book, head + "\"bids\":[[\"10.01\",1,1],[\"10.02\",100]]}"));
        assertEquals("book snapshot: bids[0]: price must be a decimal string with at most 2 places, got \"10.001\"",
                rejection(book, head + "\"bids\":[[\"10.001\",1,1]]}"));
        assertEquals("book snapshot: turnover must be a decimal string with at most 2 places, got 12",
                rejection(book, head + "\"bids\":[],\"turnover\":12}"));
        assertEquals("book snapshot: orders[0]: order: side is required: one of [BUY, SELL]",
                rejection(book, head + "\"bids\":[],\"orders\":[{\"order_id\":1,\"order_type\":\"LIMIT\","
                        + "\"tif\":\"GTC\",\"qty\":1,\"leaves_qty\":1}]}"));
        assertEquals("book snapshot: symbol is required",
                rejection(book, "{\"shard\":0,\"seq\":5,\"bids\":[],\"asks\":[]}"));
        assertEquals("account snapshot: orders is required",
                rejection(ExchangeJson::accountSnapshotFromJson, "{\"shard\":0,\"seq\":5,\"account\":\"a\"}"));
    }
}
