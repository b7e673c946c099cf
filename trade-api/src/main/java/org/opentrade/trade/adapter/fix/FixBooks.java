package org.opentrade.trade.adapter.fix;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.opentrade.exchange.client.book.BookReplica;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * The books FIX market data is served from: one exchange-client {@link BookReplica} per instrument
 * of the universe (an L3 replica read as L2), loaded from the exchange's shard snapshots (asked with
 * {@code orders: true}) and then fed every event of the feed trade-api already consumes — the
 * replica ignores events at or before its snapshot, so the feed may start earlier than the
 * snapshot (trade-api's durable position). Also the last trade per symbol (FIX entry type 2 in a
 * snapshot). Memory: the exchange's resting orders of the universe, which the exchange bounds.
 *
 * <p>Wiring: trade-api makes one when FIX is enabled, loads the shard snapshots into it before the
 * feed starts ({@link #load}), calls {@link #onEvent} for every feed event after the desk, and
 * hands it to {@link FixAcceptor}. If the snapshots could not be had, {@link #unavailable} marks it
 * so and market data requests are refused (a book built from part of the history would be wrong).
 *
 * <p>Trade context only (the feed's thread): no locks. Cost per event: a hash lookup and the
 * replica's O(log levels) update; the listener runs only for symbols someone subscribed to.
 */
public final class FixBooks {
    private static final Logger LOG = Logger.getLogger(FixBooks.class.getName());

    /** Told of each event applied to a book (trade context). */
    interface Listener {
        void changed(BookReplica book, ExchangeEvent event);
    }

    private final Map<String, InstrumentInfo> universe = new LinkedHashMap<>();
    private final Map<String, BookReplica> books = new HashMap<>();
    private final Map<String, long[]> lastTrade = new HashMap<>();
    private String unavailable;
    private Listener listener = (b, e) -> { };

    /** The exchange's session schedule: whether it matches as orders come at a moment (not in a call auction). */
    private final TradingCalendar sessions;

    /** Books of an exchange that always matches (the 24×7 calendar). */
    public FixBooks(Collection<InstrumentInfo> instruments) {
        this(instruments, new ContinuousCalendar());
    }

    /** @param sessions the calendar the exchange's engine runs on (its universe's) */
    public FixBooks(Collection<InstrumentInfo> instruments, TradingCalendar sessions) {
        this.sessions = sessions;
        for (InstrumentInfo i : instruments) {
            universe.put(i.symbol(), i);
            books.put(i.symbol(), new BookReplica(i.symbol()));
        }
    }

    /** Loads one symbol's snapshot (with its resting orders). A snapshot that does not add up marks the book unavailable. */
    public void load(BookSnapshot s) {
        BookReplica b = books.get(s.symbol());
        if (b == null) {
            return;
        }
        try {
            b.load(s);
            if (s.last() != Price.NONE) {
                lastTrade.put(s.symbol(), new long[] {s.last(), 0});
            }
        } catch (IllegalArgumentException e) {
            unavailable("the exchange's snapshot of " + s.symbol() + " is not usable: " + e.getMessage());
        }
    }

    /** No market data (the snapshots could not be loaded): requests are refused with {@code reason}. */
    public void unavailable(String reason) {
        LOG.warning("FIX market data unavailable: " + reason);
        this.unavailable = reason;
    }

    /** One feed event, after the desk has applied it. */
    public void onEvent(ExchangeEvent e) {
        BookReplica b = e.symbol() == null ? null : books.get(e.symbol());
        if (b == null || !b.apply(e)) {
            return;
        }
        if (e.type() == EventType.TRADE) {
            lastTrade.put(e.symbol(), new long[] {e.price(), e.qty()});
        }
        listener.changed(b, e);
    }

    /** The exchange's session schedule (FIX TradingSessionStatus answers from it). */
    TradingCalendar sessions() {
        return sessions;
    }

    /** Whether the exchange matches as orders come at {@code epochMillis}. */
    boolean matchingAt(long epochMillis) {
        return sessions.phaseAt(epochMillis).matches();
    }

    void listener(Listener l) {
        this.listener = l;
    }

    /** Why market data is refused, or null when the books are good. */
    String unavailableReason() {
        return unavailable;
    }

    BookReplica book(String symbol) {
        return books.get(symbol);
    }

    /** {price, qty} of the symbol's last trade (qty 0 when only the snapshot's price is known), or null. */
    long[] lastTrade(String symbol) {
        return lastTrade.get(symbol);
    }

    InstrumentInfo instrument(String symbol) {
        return universe.get(symbol);
    }

    List<InstrumentInfo> instruments() {
        return List.copyOf(universe.values());
    }
}
