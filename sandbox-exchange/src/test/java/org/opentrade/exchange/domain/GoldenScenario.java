package org.opentrade.exchange.domain;

import static org.opentrade.exchange.domain.TestInstruments.MAIN;
import static org.opentrade.exchange.domain.TestInstruments.SZ_MAIN;

import java.util.List;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * The fixed scenario behind the golden snapshot fixtures in {@code src/test/resources/golden/}:
 * rules mode on {@link TestInstruments} with the 24×7 calendar. Day one trades 600000.SH at 10.05
 * and ends (the band re-centres on 10.05); day two leaves resting orders on both sides (one DAY
 * order partially filled, one partially filled with a trace context), an untriggered stop on each
 * of two symbols, and two trades (10.10 then 9.95).
 *
 * <p>Never change these commands: the fixtures were written from them, and a changed scenario
 * would no longer match the fixtures of older versions.
 */
final class GoldenScenario {
    static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final long DAY_ONE = ExchangeScenario.epochMillis("2024-03-04T10:00");
    static final long DAY_ONE_END = ExchangeScenario.epochMillis("2024-03-04T15:00");
    static final long DAY_TWO = ExchangeScenario.epochMillis("2024-03-05T09:30");
    /** Trades of {@code MAIN} over both days: one on day one, two on day two. */
    static final long MAIN_TRADES = 3;

    private GoldenScenario() {
    }

    static MatchingEngine newEngine() {
        return MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar());
    }

    static List<Command> commands() {
        return List.of(
                Command.limit(1, "alice", MAIN, Side.SELL, TimeInForce.GTC, 1005, 100, DAY_ONE),
                Command.limit(2, "bob", MAIN, Side.BUY, TimeInForce.GTC, 1005, 100, DAY_ONE + 1_000),
                Command.tick(DAY_ONE_END),
                Command.limit(3, "alice", MAIN, Side.BUY, TimeInForce.GTC, 990, 200, DAY_TWO),
                Command.limit(4, "bob", MAIN, Side.BUY, TimeInForce.DAY, 995, 200, DAY_TWO + 1_000),
                Command.limit(5, "carol", MAIN, Side.SELL, TimeInForce.DAY, 1010, 300, DAY_TWO + 2_000)
                        .withTraceParent(TRACE),
                Command.limit(6, "dave", MAIN, Side.BUY, TimeInForce.GTC, 1010, 100, DAY_TWO + 3_000),
                Command.newOrder(7, "alice", MAIN, Side.BUY, OrderType.STOP, TimeInForce.GTC, Price.NONE, 1050, 100,
                        DAY_TWO + 4_000),
                Command.newOrder(8, "bob", SZ_MAIN, Side.SELL, OrderType.STOP_LIMIT, TimeInForce.DAY, 975, 980, 100,
                        DAY_TWO + 5_000),
                Command.limit(9, "carol", SZ_MAIN, Side.SELL, TimeInForce.GTC, 1020, 100, DAY_TWO + 6_000),
                Command.limit(10, "dave", MAIN, Side.SELL, TimeInForce.GTC, 1012, 150, DAY_TWO + 7_000),
                Command.limit(11, "carol", MAIN, Side.SELL, TimeInForce.GTC, 995, 100, DAY_TWO + 8_000));
    }

    /** Time of the last command: the engine clock after the scenario. */
    static long lastTime() {
        return DAY_TWO + 8_000;
    }

    /** A fresh engine that has processed the scenario; fails if any command was rejected. */
    static MatchingEngine play() {
        MatchingEngine e = newEngine();
        EventLog log = new EventLog();
        for (Command c : commands()) {
            e.process(c, log);
        }
        for (String line : log.lines()) {
            if (line.startsWith("REJECTED")) {
                throw new AssertionError("golden scenario command rejected: " + log.lines());
            }
        }
        return e;
    }
}
