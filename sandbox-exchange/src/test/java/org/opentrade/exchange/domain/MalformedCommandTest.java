package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Garbage in, a REJECTED out: whatever a command carries, the engine answers with exactly one
 * rejection and its exact code, throws nothing, changes nothing, and keeps matching afterwards.
 */
class MalformedCommandTest {
    private static final String SYM = TestInstruments.MAIN;
    private static final long TS = ExchangeScenario.epochMillis("2024-03-04T10:00");

    private static Command cmd(CommandType type, long id, String account, String symbol, Side side, OrderType orderType,
                               TimeInForce tif, long price, long stop, long qty) {
        return new Command(type, id, account, symbol, side, orderType, tif, price, stop, qty, TS, null);
    }

    private static Command limit(long id, long price, long qty) {
        return cmd(CommandType.NEW_ORDER, id, "x", SYM, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, price, 0, qty);
    }

    private static Command stop(long id, OrderType type, long price, long stop) {
        return cmd(CommandType.NEW_ORDER, id, "x", SYM, Side.SELL, type, TimeInForce.GTC, price, stop, 100);
    }

    private static Command replace(long id, long price, long qty) {
        return cmd(CommandType.REPLACE, id, null, SYM, null, null, null, price, 0, qty);
    }

    /** Rejections both the pure and the rules engine give, with the code each must give. */
    static Stream<Arguments> malformed() {
        long max = Price.MAX;
        return Stream.of(
                Arguments.of("null command", null, ResultCode.MALFORMED_COMMAND),
                Arguments.of("no command type", cmd(null, 50, "x", SYM, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000,
                        0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("no symbol", cmd(CommandType.NEW_ORDER, 50, "x", null, Side.BUY, OrderType.LIMIT,
                        TimeInForce.GTC, 1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("empty symbol", cmd(CommandType.NEW_ORDER, 50, "x", "", Side.BUY, OrderType.LIMIT,
                        TimeInForce.GTC, 1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("no side", cmd(CommandType.NEW_ORDER, 50, "x", SYM, null, OrderType.LIMIT, TimeInForce.GTC,
                        1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("no order type", cmd(CommandType.NEW_ORDER, 50, "x", SYM, Side.BUY, null, TimeInForce.GTC,
                        1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("no time in force", cmd(CommandType.NEW_ORDER, 50, "x", SYM, Side.BUY, OrderType.LIMIT,
                        null, 1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("everything null", new Command(CommandType.NEW_ORDER, 0, null, null, null, null, null, 0, 0,
                        0, 0, null), ResultCode.MALFORMED_COMMAND),
                Arguments.of("account too long to snapshot", cmd(CommandType.NEW_ORDER, 50, "a".repeat(70_000), SYM,
                        Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("account over the text limit", cmd(CommandType.NEW_ORDER, 50,
                        "a".repeat(MatchingEngine.MAX_TEXT_LENGTH + 1), SYM, Side.BUY, OrderType.LIMIT,
                        TimeInForce.GTC, 1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("symbol too long to snapshot", cmd(CommandType.NEW_ORDER, 50, "x", "S".repeat(70_000),
                        Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 100), ResultCode.MALFORMED_COMMAND),
                Arguments.of("zero qty", limit(50, 1000, 0), ResultCode.QTY_NOT_POSITIVE),
                Arguments.of("negative qty", limit(50, 1000, -100), ResultCode.QTY_NOT_POSITIVE),
                Arguments.of("Long.MIN_VALUE qty", limit(50, 1000, Long.MIN_VALUE), ResultCode.QTY_NOT_POSITIVE),
                Arguments.of("Long.MAX_VALUE qty", limit(50, 1000, Long.MAX_VALUE), ResultCode.QTY_TOO_LARGE),
                Arguments.of("qty just over the pure maximum", limit(50, 1000, MatchingEngine.PURE_MAX_QTY + 1),
                        ResultCode.QTY_TOO_LARGE),
                Arguments.of("zero price", limit(50, 0, 100), ResultCode.PRICE_INVALID),
                Arguments.of("negative price", limit(50, -1000, 100), ResultCode.PRICE_INVALID),
                Arguments.of("Long.MIN_VALUE price", limit(50, Long.MIN_VALUE, 100), ResultCode.PRICE_INVALID),
                Arguments.of("Price.INVALID price", limit(50, Price.INVALID, 100), ResultCode.PRICE_INVALID),
                Arguments.of("price just over Price.MAX", limit(50, max + 1, 100), ResultCode.PRICE_INVALID),
                Arguments.of("Long.MAX_VALUE price", limit(50, Long.MAX_VALUE, 100), ResultCode.PRICE_INVALID),
                Arguments.of("stop without stop price", stop(50, OrderType.STOP, 0, 0), ResultCode.STOP_PRICE_INVALID),
                Arguments.of("negative stop price", stop(50, OrderType.STOP, 0, -5), ResultCode.STOP_PRICE_INVALID),
                Arguments.of("stop price over Price.MAX", stop(50, OrderType.STOP, 0, max + 1),
                        ResultCode.STOP_PRICE_INVALID),
                Arguments.of("stop-limit without limit", stop(50, OrderType.STOP_LIMIT, 0, 1000),
                        ResultCode.PRICE_INVALID),
                Arguments.of("duplicate live id", limit(1, 1005, 100), ResultCode.DUPLICATE_ORDER_ID),
                Arguments.of("duplicate id of a waiting stop", limit(3, 1005, 100), ResultCode.DUPLICATE_ORDER_ID),
                Arguments.of("cancel of an unknown id", cmd(CommandType.CANCEL, 999, null, null, null, null, null, 0, 0,
                        0), ResultCode.UNKNOWN_ORDER),
                Arguments.of("cancel of a negative id", cmd(CommandType.CANCEL, -1, null, null, null, null, null, 0, 0,
                        0), ResultCode.UNKNOWN_ORDER),
                Arguments.of("cancel of a live id under another symbol", cmd(CommandType.CANCEL, 1, null, "OTHER", null,
                        null, null, 0, 0, 0), ResultCode.UNKNOWN_ORDER),
                Arguments.of("replace of an unknown id", replace(999, 1000, 100), ResultCode.UNKNOWN_ORDER),
                Arguments.of("replace to zero qty", replace(1, 990, 0), ResultCode.QTY_NOT_POSITIVE),
                Arguments.of("replace to negative qty", replace(1, 990, -1), ResultCode.QTY_NOT_POSITIVE),
                Arguments.of("replace to Long.MIN_VALUE qty", replace(1, 990, Long.MIN_VALUE),
                        ResultCode.QTY_NOT_POSITIVE),
                Arguments.of("replace to Long.MAX_VALUE qty", replace(1, 990, Long.MAX_VALUE), ResultCode.QTY_TOO_LARGE),
                Arguments.of("replace to zero price", replace(1, 0, 100), ResultCode.PRICE_INVALID),
                Arguments.of("replace to negative price", replace(1, -990, 100), ResultCode.PRICE_INVALID),
                Arguments.of("replace over Price.MAX", replace(1, max + 1, 100), ResultCode.PRICE_INVALID),
                Arguments.of("replace of a waiting stop", replace(3, 1000, 100), ResultCode.ORDER_NOT_REPLACEABLE));
    }

    @ParameterizedTest(name = "pure: {0}")
    @MethodSource("malformed")
    void pureEngineRejectsWithTheExactCodeAndKeepsWorking(String what, Command bad, ResultCode code) {
        assertRejectedAndHarmless(MatchingEngine.pure(), bad, code);
    }

    @ParameterizedTest(name = "rules: {0}")
    @MethodSource("malformed")
    void rulesEngineRejectsWithTheExactCodeAndKeepsWorking(String what, Command bad, ResultCode code) {
        assertRejectedAndHarmless(MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar()), bad,
                code);
    }

    static Stream<Arguments> rulesOnly() {
        return Stream.of(
                Arguments.of("unknown symbol", cmd(CommandType.NEW_ORDER, 50, "x", "000000.XX", Side.BUY,
                        OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 100), ResultCode.UNKNOWN_SYMBOL),
                Arguments.of("symbol in the wrong case", cmd(CommandType.NEW_ORDER, 50, "x", "600000.sh", Side.BUY,
                        OrderType.MARKET, TimeInForce.IOC, 0, 0, 100), ResultCode.UNKNOWN_SYMBOL),
                Arguments.of("qty over the instrument maximum", limit(50, 1000, 1_000_001), ResultCode.QTY_TOO_LARGE),
                Arguments.of("replace over the instrument maximum", replace(1, 990, 1_000_100),
                        ResultCode.QTY_TOO_LARGE));
    }

    @ParameterizedTest(name = "rules: {0}")
    @MethodSource("rulesOnly")
    void rulesEngineRejectsWhatOnlyTheRulesForbid(String what, Command bad, ResultCode code) {
        assertRejectedAndHarmless(MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar()), bad,
                code);
    }

    @org.junit.jupiter.api.Test
    void accountAtTheTextLimitIsAcceptedAndSnapshots() {
        MatchingEngine engine = MatchingEngine.pure();
        EventCollector events = new EventCollector(0);
        send(engine, events, cmd(CommandType.NEW_ORDER, 1, "\u00e9".repeat(MatchingEngine.MAX_TEXT_LENGTH), SYM,
                Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 100));
        assertEquals(ResultCode.OK, events.code());
        assertEquals(16, engine.stateHash().length());
    }

    /** Resting buy 1 at 9.90, resting sell 2 at 10.10, waiting buy stop 3 at 10.50; then the bad command. */
    private static void assertRejectedAndHarmless(MatchingEngine engine, Command bad, ResultCode code) {
        EventCollector events = new EventCollector(0);
        send(engine, events, cmd(CommandType.NEW_ORDER, 1, "a", SYM, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 990,
                0, 100));
        send(engine, events, cmd(CommandType.NEW_ORDER, 2, "b", SYM, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1010,
                0, 100));
        send(engine, events, cmd(CommandType.NEW_ORDER, 3, "c", SYM, Side.BUY, OrderType.STOP, TimeInForce.GTC, 0, 1050,
                100));
        assertEquals(ResultCode.OK, events.code());
        String before = engine.stateHash();

        List<ExchangeEvent> rejection = send(engine, events, bad);
        assertEquals(1, rejection.size(), "exactly one event: " + rejection);
        assertEquals(EventType.REJECTED, rejection.get(0).type());
        assertEquals(code, rejection.get(0).resultCode());
        assertEquals(code, events.code());
        assertEquals(before, engine.stateHash(), "a rejection changes nothing");

        List<ExchangeEvent> after = send(engine, events, cmd(CommandType.NEW_ORDER, 4, "d", SYM, Side.SELL,
                OrderType.LIMIT, TimeInForce.GTC, 990, 0, 100));
        assertEquals(List.of(EventType.ACCEPTED, EventType.TRADE), after.stream().map(ExchangeEvent::type).toList());
        assertTrue(events.code().isOk());
        assertEquals(1, engine.book(SYM).orderCount(), "only the sell at 10.10 is left");
    }

    private static List<ExchangeEvent> send(MatchingEngine engine, EventCollector events, Command c) {
        events.begin(c);
        engine.process(c, events);
        return List.copyOf(events.events());
    }
}
