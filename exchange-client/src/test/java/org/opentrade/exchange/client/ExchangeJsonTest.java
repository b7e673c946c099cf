package org.opentrade.exchange.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.model.Universe;

class ExchangeJsonTest {
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String OTHER_TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final long NOW = 1_767_225_600_000L;

    private static Command parse(String json) throws MalformedCommandException {
        return ExchangeJson.commandFromBody(json, NOW, null);
    }

    private static String malformedMessage(Object body) {
        return assertThrows(MalformedCommandException.class, () -> ExchangeJson.commandFromBody(body, NOW, null))
                .getMessage();
    }

    @Test
    void limitOrderIsReadWithDecimalPriceAndStampedTime() throws Exception {
        Command c = parse("{\"type\":\"NEW_ORDER\",\"order_id\":17,\"account\":\"alice\",\"symbol\":\"600000.SH\","
                + "\"side\":\"BUY\",\"order_type\":\"LIMIT\",\"tif\":\"DAY\",\"price\":\"10.01\",\"qty\":100,"
                + "\"timestamp\":5,\"traceparent\":\"" + TRACE + "\"}");
        assertEquals(Command.limit(17, "alice", "600000.SH", Side.BUY, TimeInForce.DAY, 1001, 100, NOW)
                .withTraceParent(TRACE), c);
    }

    @Test
    void orderTypeAndTimeInForceHaveDefaults() throws Exception {
        Command limit = parse("{\"type\":\"new_order\",\"order_id\":\"18\",\"account\":\"a\",\"symbol\":\"X\","
                + "\"side\":\"sell\",\"price\":\"9.5\",\"qty\":300}");
        assertEquals(OrderType.LIMIT, limit.orderType());
        assertEquals(TimeInForce.GTC, limit.tif());
        assertEquals(950, limit.price());
        assertEquals(18, limit.orderId());
        Command market = parse("{\"type\":\"NEW_ORDER\",\"order_id\":19,\"account\":\"a\",\"symbol\":\"X\","
                + "\"side\":\"BUY\",\"order_type\":\"MARKET\",\"qty\":100}");
        assertEquals(TimeInForce.IOC, market.tif());
        assertEquals(0, market.price());
    }

    @Test
    void cancelAndReplaceNeedOnlyTheirFields() throws Exception {
        Command cancel = parse("{\"type\":\"CANCEL\",\"order_id\":17,\"account\":\"alice\",\"symbol\":\"600000.SH\"}");
        assertEquals(CommandType.CANCEL, cancel.type());
        assertEquals("alice", cancel.account());
        Command replace = parse("{\"type\":\"REPLACE\",\"order_id\":17,\"symbol\":\"600000.SH\",\"price\":\"10.02\","
                + "\"qty\":200}");
        assertEquals(Command.replace(17, "600000.SH", 1002, 200, NOW), replace);
    }

    @Test
    void bodyTraceParentWinsOverTheHeaderAndInvalidOnesAreDropped() throws Exception {
        String body = "{\"type\":\"CANCEL\",\"order_id\":1,\"symbol\":\"X\"";
        assertEquals(TRACE, ExchangeJson.commandFromBody(body + ",\"traceparent\":\"" + TRACE + "\"}", NOW,
                OTHER_TRACE).traceParent());
        assertEquals(OTHER_TRACE, ExchangeJson.commandFromBody(body + "}", NOW, OTHER_TRACE).traceParent());
        assertNull(ExchangeJson.commandFromBody(body + ",\"traceparent\":\"nonsense\"}", NOW, "bad").traceParent());
        assertFalse(ExchangeJson.isTraceParent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
    }

    @Test
    void bodiesOfEveryKindAreAccepted() throws Exception {
        String text = "{\"type\":\"CANCEL\",\"order_id\":1,\"symbol\":\"X\"}";
        assertEquals(1, ExchangeJson.commandFromBody(new JsonObject(text), NOW, null).orderId());
        assertEquals(1, ExchangeJson.commandFromBody(Buffer.buffer(text), NOW, null).orderId());
    }

    @Test
    void unreadableBodiesNameTheProblem() {
        assertEquals("the command is not a JSON object", malformedMessage("not json"));
        assertEquals("the command must be a JSON object", malformedMessage(42));
        assertEquals("the command is not a JSON object", malformedMessage("[1,2]"));
        assertTrue(malformedMessage("{\"order_id\":1,\"symbol\":\"X\"}").startsWith("type is required"));
        assertTrue(malformedMessage("{\"type\":\"TIME_TICK\",\"symbol\":\"X\",\"order_id\":1}").contains("type must"));
        assertTrue(malformedMessage("{\"type\":\"FLY\",\"order_id\":1,\"symbol\":\"X\"}").contains("not one of"));
        assertEquals("order_id must be a positive integer",
                malformedMessage("{\"type\":\"CANCEL\",\"order_id\":-3,\"symbol\":\"X\"}"));
        assertEquals("symbol is required", malformedMessage("{\"type\":\"CANCEL\",\"order_id\":3}"));
        String newOrder = "{\"type\":\"NEW_ORDER\",\"order_id\":1,\"account\":\"a\",\"symbol\":\"X\",\"qty\":100";
        assertTrue(malformedMessage(newOrder + ",\"price\":\"1.00\"}").startsWith("side is required"));
        assertTrue(malformedMessage(newOrder + ",\"side\":\"BUY\"}").startsWith("price is required"));
        assertTrue(malformedMessage(newOrder + ",\"side\":\"BUY\",\"price\":10.01}").contains("decimal string"));
        assertTrue(malformedMessage(newOrder + ",\"side\":\"BUY\",\"price\":\"10.001\"}").contains("at most 2 places"));
        assertTrue(malformedMessage(newOrder + ",\"side\":\"BUY\",\"order_type\":\"STOP\"}").startsWith("stop_price"));
        assertEquals("qty must be a positive integer", malformedMessage(
                "{\"type\":\"REPLACE\",\"order_id\":1,\"symbol\":\"X\",\"price\":\"1.00\",\"qty\":1.5}"));
    }

    @Test
    void malformedReplyIsARejectedResultWithCodeMinus4010EchoingWhatWasRead() {
        MalformedCommandException e = assertThrows(MalformedCommandException.class, () -> parse(
                "{\"type\":\"NEW_ORDER\",\"order_id\":9,\"account\":\"a\",\"symbol\":\"600000.SH\",\"qty\":100}"));
        JsonObject reply = ExchangeJson.malformed(e);
        assertEquals(-4010, reply.getInteger("code"));
        assertEquals("MALFORMED_COMMAND", reply.getString("result"));
        assertTrue(reply.getString("message").contains("side is required"));
        JsonObject rejected = reply.getJsonArray("events").getJsonObject(0);
        assertEquals("REJECTED", rejected.getString("type"));
        assertEquals(9, rejected.getLong("order_id"));
        assertEquals("600000.SH", rejected.getString("symbol"));
        assertEquals(-4010, rejected.getInteger("result_code"));
        JsonObject unreadable = ExchangeJson.malformed(assertThrows(MalformedCommandException.class,
                () -> parse("}{")));
        assertEquals(-4010, unreadable.getInteger("code"));
    }

    @Test
    void tradeEventRoundTripsWithPricesAsDecimalStrings() {
        ExchangeEvent trade = new ExchangeEvent(98, 0, EventType.TRADE, 18, "bob", 17, "alice", "600000.SH", Side.SELL,
                OrderType.LIMIT, TimeInForce.GTC, 1001, 100, 0, 100, 0, ResultCode.OK, NOW, TRACE);
        JsonObject j = ExchangeJson.toJson(trade);
        assertEquals("10.01", j.getString("price"));
        assertEquals(17, j.getLong("counter_order_id"));
        assertEquals(TRACE, j.getString("traceparent"));
        assertEquals(trade, ExchangeJson.eventFromJson(new JsonObject(j.encode())));
    }

    @Test
    void marketOrderEventLeavesOutAbsentValues() {
        ExchangeEvent accepted = new ExchangeEvent(1, 0, EventType.ACCEPTED, 5, "a", 0, null, "X", Side.BUY,
                OrderType.MARKET, TimeInForce.IOC, 0, 100, 100, 0, 0, ResultCode.OK, NOW, null);
        JsonObject j = ExchangeJson.toJson(accepted);
        assertFalse(j.containsKey("price"));
        assertFalse(j.containsKey("counter_order_id"));
        assertFalse(j.containsKey("traceparent"));
        assertEquals(accepted, ExchangeJson.eventFromJson(j));
    }

    @Test
    void resultAndCommandRoundTrip() throws Exception {
        Command c = Command.limit(17, "alice", "600000.SH", Side.BUY, TimeInForce.GTC, 1001, 100, NOW)
                .withTraceParent(TRACE);
        assertEquals(c, ExchangeJson.commandFromJson(ExchangeJson.toJson(c), NOW, null));
        CommandResult r = CommandResult.refused(c, ResultCode.PRICE_OUTSIDE_BAND);
        JsonObject j = ExchangeJson.toJson(r);
        assertEquals(-5004, j.getInteger("code"));
        assertEquals("PRICE_OUTSIDE_BAND", j.getJsonArray("events").getJsonObject(0).getString("result"));
        assertEquals(r, ExchangeJson.resultFromJson(new JsonObject(j.encode())));
        assertEquals(List.of(), ExchangeJson.resultFromJson(new JsonObject().put("code", 0)).events());
    }

    /**
     * A universe without float shares and EPS (the exchange's 3-column file) is sent with both unknown (0)
     * and read back so: the reply carried EPS 0 as "" and the reader refused it ("bad eps"), so market-api and
     * trade-api never started on such a universe.
     */
    @Test
    void anInstrumentWithUnknownFiguresSurvivesTheInstrumentsReply() {
        InstrumentInfo unknown = new InstrumentInfo("600000.SH", "浦发银行", 1045, 1, 100, 1_000_000, 10, 0, 0);
        InstrumentInfo loss = new InstrumentInfo("601012.SH", "隆基绿能", 1800, 1, 100, 1_000_000, 10, 7_580_000_000L, -114);
        Universe u = new Universe("continuous", "Asia/Shanghai", "15:00", List.of(unknown, loss), List.of());
        JsonObject reply = new JsonObject(ExchangeJson.toJson(u).encode());
        assertEquals("0.00", reply.getJsonArray("instruments").getJsonObject(0).getString("eps"));
        assertEquals(u, ExchangeJson.universeFromJson(reply));

        // What an exchange built before this sends for an unknown EPS, and a reply without the figures at all.
        JsonObject instrument = reply.getJsonArray("instruments").getJsonObject(0);
        instrument.put("eps", "");
        assertEquals(0, ExchangeJson.universeFromJson(reply).instruments().get(0).eps());
        instrument.remove("eps");
        instrument.remove("float_shares");
        assertEquals(unknown, ExchangeJson.universeFromJson(reply).instruments().get(0));
        instrument.put("eps", "1.2.3");
        assertThrows(IllegalArgumentException.class, () -> ExchangeJson.universeFromJson(reply));
    }
}
