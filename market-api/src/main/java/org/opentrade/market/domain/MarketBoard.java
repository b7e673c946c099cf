package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.opentrade.exchange.client.book.BookReplica;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.market.port.HistorySink;
import org.opentrade.market.port.MarketListener;

/**
 * All live market state of market-api, built from the exchange feed: per symbol the exact L3 book
 * replica (read as L2), and the {@link LiveSymbol} with its day statistics and live bars.
 *
 * <p>Single-threaded: every method runs on the market context (the feed consumer's), so nothing
 * here locks. Readers on other threads must hop onto that context. The one exception is
 * {@link #position}, which the history writer advances from its own thread.
 *
 * <p>Positions: {@code applied} is the last event applied to memory per shard; {@link #position}
 * (what the exchange may prune up to) is the last one whose trades and closed bars are stored. After
 * a handler failure the consumer restarts from the stored position; events already applied are
 * skipped here, so nothing is counted twice.
 */
public final class MarketBoard implements FeedHandler {
    private static final Logger LOG = Logger.getLogger(MarketBoard.class.getName());

    /** One symbol's live state. */
    public static final class SymbolState {
        final Instrument instrument;
        final LiveSymbol live;
        final BookReplica book;
        /** Time of the last event applied to the book (its command's), for the matching phase it was in. */
        long lastEventAt;
        /** Whether that event was a trade (an auction's uncross is a run of them: held like a match's). */
        boolean lastEventTrade;
        final BarCache minuteBars;
        final BarCache dayBars;
        final TradeRing trades;
        List<BookLevel> publishedBids = List.of();
        List<BookLevel> publishedAsks = List.of();
        /** A trade changed the live 1m bar since the last flush (its update goes out once per batch). */
        boolean barChanged;
        /**
         * The symbol's trades of all time up to the last one applied: the exchange's count from the book
         * snapshot, plus every trade after it. -1 while unknown (no snapshot yet, or an exchange without the
         * count). The same in every process that follows the feed, so it numbers the trades channel.
         */
        long tradeCount = -1;
        /**
         * How many of the newest trades in {@link #trades} are numbered: the newest is {@link #tradeCount},
         * each one before it one less.
         */
        int numbered;
        /**
         * Since the last book snapshot loaded at start: trades restored from the store, and trades the feed
         * replayed that the snapshot had counted. They are numbered at the first trade after the snapshot,
         * when they are known to end at its count: the replayed ones always (the feed has no gap), the
         * restored ones when both together are the exchange's trades of the day ({@link #dayTradesAtSnapshot}).
         */
        int restored;
        int beforeSnapshot;
        long dayTradesAtSnapshot = -1;

        SymbolState(Instrument instrument, LiveSymbol live, int recentMinuteBars, int recentTrades) {
            this.instrument = instrument;
            this.live = live;
            this.book = new BookReplica(instrument.symbol());
            this.minuteBars = new BarCache(recentMinuteBars);
            this.dayBars = new BarCache(DAY_BARS_KEPT);
            this.trades = new TradeRing(recentTrades);
        }

        /** Closed 1m bars, newest {@code recentMinuteBars}. */
        public BarCache minuteBars() {
            return minuteBars;
        }

        /** Closed 1d bars (about 40 years' worth fit). */
        public BarCache dayBars() {
            return dayBars;
        }

        public TradeRing trades() {
            return trades;
        }

        public Instrument instrument() {
            return instrument;
        }

        public LiveSymbol live() {
            return live;
        }

        public BookReplica book() {
            return book;
        }

        /** The number of the last trade applied among the symbol's trades of all time, or -1 while unknown. */
        public long tradeCount() {
            return tradeCount;
        }

        /** The number of the last trade applied if it is numbered, else 0 (unknown, or counted by the book's snapshot). */
        public long lastTradeNumber() {
            return numbered > 0 ? tradeCount : 0;
        }

        /** The newest numbered trades, at most {@code limit}, oldest first; the last is number {@link #tradeCount}. */
        public List<Trade> numberedTrades(int limit) {
            return tradeCount < 0 ? List.of() : trades.latest(Math.min(limit, numbered));
        }
    }

    /** Daily bars kept in memory per symbol. */
    public static final int DAY_BARS_KEPT = 10_000;

    private final Map<String, SymbolState> symbols = new LinkedHashMap<>();
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Map<Integer, Long> durable = new ConcurrentHashMap<>();
    private final MarketCalendar calendar;
    private final HistorySink history;
    private final int depthLevels;
    private final Consumer<Runnable> defer;
    private final Set<SymbolState> dirty = new LinkedHashSet<>();
    private MarketListener listener = MarketListener.NONE;
    private boolean flushScheduled;
    /**
     * The last event applied per shard (market context only; {@link #applied} is its copy for other
     * threads, updated per feed batch), and the last position handed to history per shard.
     */
    private long[] appliedSeqs = new long[0];
    private long[] handedSeqs = new long[0];
    private long eventsApplied;
    private long tradesApplied;

    /**
     * @param defer        runs a task on the market context after the current feed batch (coalesces
     *                     depth and quote updates of one batch into one message per symbol)
     * @param depthLevels  levels per side the depth stream keeps exact
     */
    public MarketBoard(Collection<Instrument> instruments, MarketCalendar calendar, int recentMinuteBars,
                       int recentTrades, HistorySink history, int depthLevels, Consumer<Runnable> defer) {
        this.calendar = calendar;
        this.history = history;
        this.depthLevels = depthLevels;
        this.defer = defer;
        for (Instrument i : instruments) {
            symbols.put(i.symbol(), new SymbolState(i, new LiveSymbol(i, calendar, 1), recentMinuteBars, recentTrades));
        }
    }

    public void setListener(MarketListener listener) {
        this.listener = listener;
    }

    public MarketCalendar calendar() {
        return calendar;
    }

    /** The symbol's state, or null for a symbol the universe does not have. */
    public SymbolState get(String symbol) {
        return symbol == null ? null : symbols.get(symbol);
    }

    public Collection<SymbolState> all() {
        return symbols.values();
    }

    public int depthLevels() {
        return depthLevels;
    }

    /** Starts shard {@code shard} at {@code seq}: what the store is complete up to (0 for none). */
    public void startAt(int shard, long seq) {
        setApplied(shard, seq);
        durable.put(shard, seq);
    }

    /** The last event applied to {@code shard} (market context), growing the per-shard arrays on a new shard. */
    private long appliedSeq(int shard) {
        if (shard >= appliedSeqs.length) {
            appliedSeqs = java.util.Arrays.copyOf(appliedSeqs, shard + 1);
            handedSeqs = java.util.Arrays.copyOf(handedSeqs, shard + 1);
        }
        return appliedSeqs[shard];
    }

    /** Sets the last event applied to {@code shard} at once, for this context and for other threads. */
    private void setApplied(int shard, long seq) {
        appliedSeq(shard);
        appliedSeqs[shard] = seq;
        handedSeqs[shard] = Math.max(handedSeqs[shard], seq);
        applied.put(shard, seq);
    }

    /** The last event applied to memory (for readiness and metrics), as of the last feed batch. */
    public long applied(int shard) {
        return applied.getOrDefault(shard, 0L);
    }

    /** Called by the history writer (any thread) once everything up to {@code seq} is stored. */
    public void stored(int shard, long seq) {
        durable.merge(shard, seq, Math::max);
    }

    @Override
    public long position(int shard) {
        return durable.getOrDefault(shard, 0L);
    }

    /**
     * Whether the store holds every trade of {@code st} with a seq below {@code beforeSeq} that its ring no longer
     * holds, so a store read below the ring skips none. The history writer lags the ring (a flush, a slow or
     * refusing store, a burst larger than the ring), and a trade pushed out of the ring before the writer stored
     * it is in neither place until then. Market context.
     */
    public boolean storeCovers(SymbolState st, long beforeSeq) {
        Trade evicted = st.trades.newestEvicted();
        return evicted == null || beforeSeq <= 1 || position(evicted.shard()) >= Math.min(evicted.seq(), beforeSeq - 1);
    }

    /**
     * Loads the books of one shard from the exchange's snapshot. Events at or before each book's
     * seq are then ignored by the book (trades still count for statistics). With
     * {@code adoptDayStats} (first start: no history of today) the day statistics are taken from
     * the snapshot too.
     */
    public void loadBooks(List<BookSnapshot> snapshots, boolean adoptDayStats) {
        for (BookSnapshot s : snapshots) {
            SymbolState st = symbols.get(s.symbol());
            if (st == null) {
                continue;
            }
            st.book.load(s);
            long before = st.tradeCount;
            st.tradeCount = s.allTrades();
            if (before >= 0 && st.tradeCount >= 0 && st.tradeCount < before) {
                listener.tradesRenumbered(s.symbol(), st.tradeCount);
            }
            st.numbered = 0;
            st.beforeSnapshot = 0;
            st.dayTradesAtSnapshot = s.trades();
            if (adoptDayStats) {
                st.live.adoptDayStats(s, this::closed);
            }
            dirty.add(st);
        }
        scheduleFlush();
    }

    @Override
    public void onEvent(ExchangeEvent e) {
        int shard = e.shard();
        if (e.seq() <= appliedSeq(shard)) {
            return; // applied before a restart of this shard: the store position lags memory
        }
        appliedSeqs[shard] = e.seq(); // appliedSeq made the array long enough
        eventsApplied++;
        SymbolState st = e.symbol() == null ? null : symbols.get(e.symbol());
        if (st != null) {
            boolean afterBook = st.book.apply(e);
            st.lastEventAt = e.timestamp();
            st.lastEventTrade = e.type() == EventType.TRADE;
            if (e.type() == EventType.TRADE) {
                Trade t = new Trade(e.shard(), e.seq(), e.symbol(), e.timestamp(), e.price(), e.qty(), e.side());
                tradesApplied++;
                if (!afterBook) {
                    st.numbered = 0; // the book's snapshot counted it already: numbered at the first trade after it
                    st.beforeSnapshot++;
                } else if (st.tradeCount >= 0) {
                    numberTradesBeforeSnapshot(st);
                    st.tradeCount++;
                    st.numbered = Math.min(st.numbered + 1, st.trades.capacity());
                }
                st.live.onTrade(t, this::closed);
                st.trades.add(t);
                history.trade(t);
                listener.trade(t);
                st.barChanged = true;
            }
            dirty.add(st);
        }
        // The position goes to history (and to readers of applied) once per feed batch, in flush:
        // handed per event it was a queue hand-off to the writer thread per event.
        scheduleFlush();
    }

    /**
     * At the first trade after the book snapshot: every trade the feed replayed up to the snapshot is in the
     * ring, the last of them number {@link SymbolState#tradeCount}, so they are numbered back from it; the
     * trades restored from the store before them too, when together they are the exchange's trades of the
     * day (the store then lacks none of them).
     */
    private static void numberTradesBeforeSnapshot(SymbolState st) {
        if (st.numbered == 0 && (st.beforeSnapshot > 0 || st.restored > 0)) {
            boolean wholeDay = st.restored + st.beforeSnapshot == st.dayTradesAtSnapshot;
            int known = st.beforeSnapshot + (wholeDay ? st.restored : 0);
            st.numbered = Math.min(known, st.trades.size());
        }
        st.beforeSnapshot = 0;
        st.restored = 0;
    }

    @Override
    public void onSnapshot(int shard, long seq, List<BookSnapshot> books) {
        LOG.warning("exchange no longer keeps the events after market-api's position on shard " + shard
                + "; restarting that shard from a snapshot at seq " + seq + ": trades in between are missing from history");
        loadBooks(books, true);
        for (BookSnapshot b : books) { // what the ring held before the gap does not lead up to the snapshot
            SymbolState st = symbols.get(b.symbol());
            if (st != null) {
                st.restored = 0;
            }
        }
        setApplied(shard, seq);
        history.position(shard, seq);
    }

    /**
     * Restores one symbol's live state after a start: the previous day's bar (its close is the
     * previous close; null keeps the instrument's) and the stored trades of the last trading day up
     * to the store's checkpoint, replayed in seq order. Bars they close are re-cached and rewritten
     * (the store upserts them), so bars that ran ahead of the checkpoint before a crash are corrected.
     */
    public void restore(String symbol, Bar previousDay, List<Trade> trades) {
        SymbolState st = symbols.get(symbol);
        if (st == null) {
            return;
        }
        st.live.restore(List.of(), previousDay, List.of());
        st.numbered = 0; // numbered at the first trade after the book snapshot, if the store holds the whole day
        st.restored = trades.size();
        for (Trade t : trades) {
            st.live.onTrade(t, this::closed);
            st.trades.add(t);
        }
    }

    /**
     * How late a trade may arrive and still count in the minute its time stamp says: the service drives
     * {@link #onTime} with the wall clock less this, so a bar closes this long after its period ends.
     */
    public static final long CLOSE_GRACE_MS = 2_000;

    /** Closes bars whose period ended; call about once a second with the wall clock. */
    public void onTime(long nowMs) {
        for (SymbolState st : symbols.values()) {
            st.live.onTime(nowMs, this::closed);
        }
        listener.time(nowMs);
    }

    private void closed(Bar bar) {
        SymbolState st = symbols.get(bar.symbol());
        if (st != null) {
            (bar.interval() == Interval.D1 ? st.dayBars : st.minuteBars).add(bar);
        }
        history.closedBar(bar);
        listener.bar(bar);
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            defer.accept(this::flush);
        }
    }

    /**
     * After a batch: per changed symbol one live-bar update (the bars a batch's trades built, as they
     * stand at its end; closes went out as they happened, in feed order), one depth diff and one quote
     * notice.
     */
    void flush() {
        flushScheduled = false;
        for (int shard = 0; shard < appliedSeqs.length; shard++) {
            long seq = appliedSeqs[shard];
            if (seq > handedSeqs[shard]) {
                handedSeqs[shard] = seq;
                applied.put(shard, seq);
                history.position(shard, seq);
            }
        }
        if (dirty.isEmpty()) {
            return;
        }
        List<SymbolState> changed = new ArrayList<>(dirty);
        dirty.clear();
        for (SymbolState st : changed) {
            if (st.barChanged) {
                st.barChanged = false;
                st.live.liveBar(Interval.M1).ifPresent(listener::bar);
            }
            List<BookLevel> bids = st.book.bids(depthLevels);
            List<BookLevel> asks = st.book.asks(depthLevels);
            // A batch can end between a crossing limit order's ACCEPTED event (it rests in the replica at its full
            // size) and the TRADE events that take it out of the cross: a book the engine never has. Its depth
            // waits for the trades (they mark the symbol again); the diff then covers the whole order.
            // Not in a call auction: there orders collect without matching, and a crossed book is the book; but an
            // auction's uncross is a run of trades whose states between are not.
            boolean crossed = crossedInMatching(st, bids, asks);
            List<BookLevel> bidDiff = crossed ? List.of() : DepthDiff.diff(st.publishedBids, bids, true);
            List<BookLevel> askDiff = crossed ? List.of() : DepthDiff.diff(st.publishedAsks, asks, false);
            if (!crossed) {
                st.publishedBids = bids;
                st.publishedAsks = asks;
            }
            if (!bidDiff.isEmpty() || !askDiff.isEmpty()) {
                listener.depth(st.instrument.symbol(), st.book.seq(), bidDiff, askDiff);
            }
            listener.quote(st.instrument.symbol());
        }
    }

    /**
     * Whether {@code bids} and {@code asks} (the replica's best first) cross or lock while the exchange matches: a book
     * the engine never has, between a crossing order's ACCEPTED event and its trades. In the call auction a crossed
     * book is the book, and an auction's uncross is a run of trades whose states between are not.
     */
    private boolean crossedInMatching(SymbolState st, List<BookLevel> bids, List<BookLevel> asks) {
        return !bids.isEmpty() && !asks.isEmpty() && bids.get(0).price() >= asks.get(0).price()
                && (st.lastEventTrade || calendar.matchesAt(st.lastEventAt));
    }

    /**
     * The best {@code levels} (at most {@link #depthLevels}) bids of {@code st} as quotes and the REST depth show them:
     * the replica's, except while it is crossed in matching ({@link #flush}: a feed batch can end between a crossing
     * order's acceptance and its trades), when they are the levels last published uncrossed, as on the depth stream.
     * Market context.
     */
    public List<BookLevel> shownBids(SymbolState st, int levels) {
        return crossedInMatching(st, st.book.bids(1), st.book.asks(1)) ? head(st.publishedBids, levels)
                : st.book.bids(levels);
    }

    /** As {@link #shownBids}, the asks. */
    public List<BookLevel> shownAsks(SymbolState st, int levels) {
        return crossedInMatching(st, st.book.bids(1), st.book.asks(1)) ? head(st.publishedAsks, levels)
                : st.book.asks(levels);
    }

    private static List<BookLevel> head(List<BookLevel> levels, int n) {
        return levels.size() <= n ? levels : List.copyOf(levels.subList(0, n));
    }

    /** The depth the stream has published for {@code symbol} (what a fresh subscriber's snapshot must equal). */
    public List<BookLevel> publishedBids(String symbol) {
        return symbols.get(symbol).publishedBids;
    }

    public List<BookLevel> publishedAsks(String symbol) {
        return symbols.get(symbol).publishedAsks;
    }

    public long eventsApplied() {
        return eventsApplied;
    }

    public long tradesApplied() {
        return tradesApplied;
    }
}
