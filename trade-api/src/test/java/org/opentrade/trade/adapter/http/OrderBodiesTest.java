package org.opentrade.trade.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.TradeError;

class OrderBodiesTest {
    private static OrderRequest parse(String json) {
        return OrderBodies.newOrder(Buffer.buffer(json), "gen-1");
    }

    private static void refused(String json, TradeError error, String mentions) {
        OrderBodies.BadBody e = assertThrows(OrderBodies.BadBody.class, () -> parse(json), json);
        assertEquals(error, e.error, json);
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    @Test
    void aLimitOrderIsReadWithItsFieldsAndDefaults() {
        OrderRequest r = parse("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":200,\"price\":\"10.01\"}");
        assertEquals(new OrderRequest("gen-1", "600000.SH", Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 200, 1001, 0), r);
        OrderRequest m = parse("{\"client_order_id\":\"my-1\",\"symbol\":\"600000.SH\",\"side\":\"sell\",\"type\":\"market\",\"qty\":100}");
        assertEquals(TimeInForce.IOC, m.timeInForce());
        assertEquals("my-1", m.clientOrderId());
        OrderRequest s = parse("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"type\":\"stop_limit\",\"time_in_force\":\"gtc\","
                + "\"qty\":100,\"price\":10.5,\"stop_price\":\"10.40\"}");
        assertEquals(1050, s.price());
        assertEquals(1040, s.stopPrice());
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        refused("", TradeError.MALFORMED, "JSON object");
        refused("[1]", TradeError.MALFORMED, "JSON object");
        refused("{\"symbol\":", TradeError.MALFORMED, "not valid JSON");
        refused("{\"symbol\":1,\"side\":\"buy\",\"qty\":1}", TradeError.INVALID_PARAMETER, "symbol");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"long\",\"qty\":1}", TradeError.INVALID_PARAMETER, "side must be one of");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"type\":\"iceberg\",\"qty\":1}", TradeError.INVALID_PARAMETER, "type");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":-100}", TradeError.INVALID_PARAMETER, "qty");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":1.5}", TradeError.INVALID_PARAMETER, "whole number");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":\"100\"}", TradeError.INVALID_PARAMETER, "whole number");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100000000000000000000000}", TradeError.INVALID_PARAMETER, "qty");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":\"10.001\"}", TradeError.INVALID_PARAMETER, "price");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":\"-1\"}", TradeError.INVALID_PARAMETER, "price");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"colour\":\"red\"}", TradeError.INVALID_PARAMETER, "unknown field");
        refused("{\"client_order_id\":\"has space\",\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100}",
                TradeError.INVALID_PARAMETER, "client_order_id");
        refused("{\"client_order_id\":\"" + "x".repeat(49) + "\",\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100}",
                TradeError.INVALID_PARAMETER, "client_order_id");
    }

    @Test
    void aPriceStringIsDigitsWithAnOptionalFraction() {
        for (String written : new String[] {"1e3", "1E+1", "+10.00", " 10.00", "10.00 ", "0x10", "10.", ".5", "1_000"}) {
            refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":\"" + written + "\"}",
                    TradeError.INVALID_PARAMETER, "price must be a positive decimal");
        }
        assertEquals(1000, parse("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":\"10\"}").price());
        assertEquals(1050, parse("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":\"10.500\"}").price());
        // A JSON number is a number, exponent and all: 1e1 is ten.
        assertEquals(1000, parse("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":1e1}").price());
    }

    @Test
    void aBodyNamingAFieldTwiceIsRefusedWhateverTheValues() {
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"qty\":200}", TradeError.MALFORMED,
                "the member 'qty' is named twice");
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"symbol\":\"600000.SH\"}", TradeError.MALFORMED,
                "'symbol'");
        OrderBodies.BadBody e = assertThrows(OrderBodies.BadBody.class,
                () -> OrderBodies.replace(Buffer.buffer("{\"price\":\"10.01\",\"price\":\"10.02\"}")));
        assertEquals(TradeError.MALFORMED, e.error);
    }

    @Test
    void numbersBeyondADoubleAreRefusedLikeAnyOtherBadNumber() {
        for (String number : new String[] {"1e400", "-1e400", "1e-400"}) { // the codec reads them as ±infinity and 0.0
            refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":" + number + "}", TradeError.INVALID_PARAMETER, "qty");
            refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":" + number + "}",
                    TradeError.INVALID_PARAMETER, "price");
        }
        OrderBodies.BadBody e = assertThrows(OrderBodies.BadBody.class,
                () -> OrderBodies.replace(Buffer.buffer("{\"qty\":1e400}")));
        assertEquals(TradeError.INVALID_PARAMETER, e.error);
    }

    @Test
    void aJsonNumberIsReadAsWrittenNeverRoundedIntoARule() {
        // Read as doubles, each of these was a round price or quantity and the order placed at it.
        for (String price : new String[] {"6.99999999999999999999", "7.0000000000000001", "10.004999999999999999"}) {
            refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":100,\"price\":" + price + "}",
                    TradeError.INVALID_PARAMETER, "price must be a positive decimal with at most 2 places");
            refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"type\":\"stop\",\"qty\":100,\"stop_price\":" + price
                    + "}", TradeError.INVALID_PARAMETER, "stop_price");
            OrderBodies.BadBody e = assertThrows(OrderBodies.BadBody.class,
                    () -> OrderBodies.replace(Buffer.buffer("{\"price\":" + price + "}")));
            assertEquals(TradeError.INVALID_PARAMETER, e.error);
            assertEquals(-1, OrderBodies.hundredths(OrderBodies.object(Buffer.buffer("{\"starting_balance\":" + price + "}"))
                    .getValue("starting_balance"), new java.math.BigDecimal("1000000000000")), price);
        }
        for (String qty : new String[] {"99.99999999999999999", "100.0000000000000001", "1000000000.0000001"}) {
            refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":" + qty + "}", TradeError.INVALID_PARAMETER,
                    "qty must be a whole number");
            OrderBodies.BadBody e = assertThrows(OrderBodies.BadBody.class,
                    () -> OrderBodies.replace(Buffer.buffer("{\"qty\":" + qty + "}")));
            assertEquals(TradeError.INVALID_PARAMETER, e.error);
        }
        refused("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":1e2147483648}", TradeError.INVALID_PARAMETER, "qty");
        // Exact numbers stay what they are, however written.
        OrderRequest r = parse("{\"symbol\":\"600000.SH\",\"side\":\"buy\",\"qty\":1.00000000000000000000e2,"
                + "\"price\":10.50000000000000000000}");
        assertEquals(100, r.qty());
        assertEquals(1050, r.price());
        assertEquals(new OrderBodies.Replace(300, 1001), OrderBodies.replace(Buffer.buffer("{\"qty\":3e2,\"price\":10.01}")));
    }
}
