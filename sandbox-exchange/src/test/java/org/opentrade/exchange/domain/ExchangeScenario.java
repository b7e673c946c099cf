package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;

/**
 * The small language the matching tests are written in: <em>given</em> a book (commands that must
 * all be accepted), <em>when</em> a trader sends something, <em>then</em> these events, and this book.
 * Events and resting orders are compared as readable lines (see {@link EventLog}); resting orders
 * read {@code "BUY 1 100@10.00"} (side, id, remaining qty at the limit price), bids first, each side
 * in priority order.
 *
 * <p>Pure matching on the default symbol unless a subclass overrides {@link #newEngine()}. Time
 * stands still unless the test moves it with {@link #at} (local time in Asia/Shanghai).
 */
public abstract class ExchangeScenario {
    protected static final String SYMBOL = "600000.SH";

    protected final Trader alice = new Trader("alice");
    protected final Trader bob = new Trader("bob");
    protected final Trader carol = new Trader("carol");
    protected final Trader dave = new Trader("dave");

    private final EventLog log = new EventLog();
    private MatchingEngine engine;
    private long clock = epochMillis("2024-03-04T10:00"); // a Monday, continuous trading
    private List<String> lastEvents = List.of();

    /** The engine under test. */
    protected MatchingEngine newEngine() {
        return MatchingEngine.pure();
    }

    protected String defaultSymbol() {
        return SYMBOL;
    }

    protected final MatchingEngine engine() {
        if (engine == null) {
            engine = newEngine();
        }
        return engine;
    }

    public static long epochMillis(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(AShareCalendar.ZONE).toInstant().toEpochMilli();
    }

    /** Commands sent from now on carry this time (Asia/Shanghai local, e.g. "2024-03-04T09:20"). */
    protected final void at(String localDateTime) {
        clock = epochMillis(localDateTime);
    }

    /** Sends setup commands; each must be accepted, or the test's premise is wrong. */
    protected final void given(Ticket... tickets) {
        for (Ticket t : tickets) {
            List<String> events = send(t.toCommand(defaultSymbol(), clock));
            for (String e : events) {
                if (e.startsWith("REJECTED")) {
                    throw new AssertionError("setup command " + t + " was rejected: " + events);
                }
            }
        }
    }

    protected final void when(Ticket ticket) {
        lastEvents = send(ticket.toCommand(defaultSymbol(), clock));
    }

    /** Sends a raw command (for malformed input); a null command is sent as is. */
    protected final void when(Command command) {
        lastEvents = send(command);
    }

    /** Moves time and lets the engine see it (a TIME_TICK), recording what the clock caused. */
    protected final void whenClockReaches(String localDateTime) {
        at(localDateTime);
        lastEvents = send(Command.tick(clock));
    }

    protected final void givenClockReaches(String localDateTime) {
        at(localDateTime);
        send(Command.tick(clock));
    }

    protected final List<String> send(Command c) {
        engine().process(c, log);
        return log.drain();
    }

    protected final void then(String... expected) {
        assertEquals(Arrays.asList(expected), lastEvents, "events");
    }

    protected final void thenNothingHappens() {
        assertEquals(List.of(), lastEvents, "events");
    }

    /** The last command was refused with exactly this code, and nothing else happened. */
    protected final void thenRejected(long orderId, ResultCode code) {
        assertEquals(List.of("REJECTED " + orderId + " " + code.name()), lastEvents, "events");
    }

    protected final void thenBook(String... expected) {
        thenBookOf(defaultSymbol(), expected);
    }

    protected final void thenBookOf(String symbol, String... expected) {
        assertEquals(Arrays.asList(expected), book(symbol), "resting orders of " + symbol);
    }

    protected final void thenBookIsEmpty() {
        thenBook();
    }

    protected final List<String> book(String symbol) {
        OrderBook b = engine().book(symbol);
        List<String> lines = new ArrayList<>();
        if (b == null) {
            return lines;
        }
        b.forEachOrder(Side.BUY, o -> lines.add(line(o)));
        b.forEachOrder(Side.SELL, o -> lines.add(line(o)));
        return lines;
    }

    private static String line(Order o) {
        return o.side() + " " + o.id() + " " + o.leaves() + "@" + EventLog.px(o.price());
    }

    protected final long lastTradePrice() {
        OrderBook b = engine().book(defaultSymbol());
        assertNotNull(b, "no book for " + defaultSymbol());
        return b.lastTradePrice();
    }

    protected final List<String> lastEvents() {
        return lastEvents;
    }
}
