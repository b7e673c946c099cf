package org.opentrade.market.domain;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/**
 * One symbol's live market data, computed in memory from its exact trade stream: last trade, the
 * trading day's statistics ({@link DayStats}), the live 1m and 1d bars, the last N closed 1m bars
 * (the K-line cache) and the day's minute line (分时).
 *
 * <p><b>Time.</b> Bars close when time passes their end: time advances with each trade and with
 * {@link #onTime}. A trade belongs to the bar and trading day of its <em>effective time</em>,
 * {@code max(trade time, the latest time this object has seen)}: a trade stamped before the current
 * 1m bar's start (clocks of different shards differ by a few ms) goes into the current bar, and a
 * trade stamped before a minute or day that has already closed goes into the next one — a closed
 * bar never changes. To keep bars exact, drive {@link #onTime} with the feed's time (the latest
 * event time of the symbol's shard), or with the wall clock minus a grace for idle shards.
 *
 * <p><b>Thread.</b> Not thread-safe and lock-free by design: one thread (the feed consumer's event
 * loop) calls every method. Readers on other threads get immutable copies from that thread.
 * Cost: {@link #onTrade} is a few field updates, plus one bar allocation per minute;
 * {@link #minuteLine} is O(minutes of the day).
 */
public final class LiveSymbol {
    /** Default size of the closed-1m-bar cache: one A-share day. */
    public static final int DEFAULT_RECENT_MINUTE_BARS = 240;
    private static final long MINUTE = 60_000L;

    private final Instrument instrument;
    private final String symbol;
    private final MarketCalendar calendar;
    private final int recentCapacity;
    private final ArrayDeque<Bar> recent;
    /** The closed 1m bars of the current trading day, oldest first (the minute line's source). */
    private final List<Bar> dayMinutes = new ArrayList<>();

    /** The latest time seen (trades and onTime); {@link Long#MIN_VALUE} before any. */
    private long watermark = Long.MIN_VALUE;
    /** The live 1m bar, null when no trade arrived since the last one closed. */
    private BarBuilder minute;
    /** The current trading day, null before the first time is seen. */
    private LocalDate day;
    /**
     * When {@link #day}'s bar closes: the first moment of the next day; on a weekend or holiday (A-share), which
     * keeps showing the day before, the first moment of the day after it.
     */
    private long dayEnd;
    /** The day's bar has closed while its figures stay on show (a weekend or holiday). */
    private boolean dayBarClosed;

    private long prevClose;
    private long last;
    private long lastTradeTime;
    /** Whether the day has prices (a trade, a restored bar or an adopted open). */
    private boolean traded;
    private long open;
    private long high;
    private long low;
    private long volume;
    private long turnover;
    private long trades;
    private long buyVolume;
    private long sellVolume;
    /** Day volume and turnover adopted from a snapshot that no minute bar carries. */
    private long unattributedVolume;
    private long unattributedTurnover;

    /**
     * @param recentMinuteBars how many closed 1m bars to keep for K-line reads (≥ 0; more: fewer
     *                         store reads, more memory: ~100 bytes per bar)
     */
    public LiveSymbol(Instrument instrument, MarketCalendar calendar, int recentMinuteBars) {
        if (instrument == null || calendar == null) {
            throw new IllegalArgumentException("instrument and calendar are required");
        }
        if (recentMinuteBars < 0) {
            throw new IllegalArgumentException("recentMinuteBars must be >= 0, got " + recentMinuteBars);
        }
        this.instrument = instrument;
        this.symbol = instrument.symbol();
        this.calendar = calendar;
        this.recentCapacity = recentMinuteBars;
        this.recent = new ArrayDeque<>(Math.min(recentMinuteBars, 4096));
        this.prevClose = instrument.prevClose();
    }

    public Instrument instrument() {
        return instrument;
    }

    /**
     * Applies one trade of this symbol (trades arrive in the shard's seq order). First closes what
     * the trade's time ends (see the class comment for late trades), then adds the trade to the live
     * 1m bar and the day. Throws IllegalArgumentException for another symbol's trade.
     */
    public void onTrade(Trade t, BarSink closed) {
        if (!symbol.equals(t.symbol())) {
            throw new IllegalArgumentException("trade of " + t.symbol() + " applied to " + symbol);
        }
        advance(t.time(), closed);
        if (minute == null) {
            minute = new BarBuilder(calendar.barStart(Interval.M1, watermark));
        }
        minute.addTrade(t.price(), t.qty(), t.aggressor() == Side.BUY);
        addPrices(t.price(), t.price(), t.price());
        volume += t.qty();
        turnover += t.price() * t.qty();
        trades++;
        if (t.aggressor() == Side.BUY) {
            buyVolume += t.qty();
        } else {
            sellVolume += t.qty();
        }
        last = t.price();
        lastTradeTime = t.time();
    }

    /**
     * Time has reached {@code nowMs}: closes the live 1m bar when its minute is over, and at the
     * trading-day boundary closes the 1d bar (only for a day with trades), makes the day's last
     * price the previous close and starts the new day's statistics. A time earlier than one already
     * seen changes nothing.
     */
    public void onTime(long nowMs, BarSink closed) {
        advance(nowMs, closed);
    }

    private void advance(long time, BarSink closed) {
        if (time <= watermark) {
            return;
        }
        watermark = time;
        if (minute != null && time >= minute.time + MINUTE) {
            Bar b = minute.build(symbol, Interval.M1);
            minute = null;
            dayMinutes.add(b);
            remember(b);
            closed.closed(b);
        }
        if (day == null) {
            startDay(calendar.tradingDay(time));
        } else if (time >= dayEnd) {
            if (traded && !dayBarClosed) {
                closed.closed(dayBar());
            }
            LocalDate next = calendar.tradingDay(time);
            if (next.equals(day)) {
                // A weekend or holiday (A-share): the day's bar is final, its figures stay on show until the next
                // trading day starts.
                dayBarClosed = true;
                dayEnd = calendar.tradingDayStart(calendar.localDay(time).plusDays(1));
                return;
            }
            if (last != 0) {
                prevClose = last;
            }
            clearDay();
            startDay(next);
        }
    }

    private void remember(Bar b) {
        if (recentCapacity == 0) {
            return;
        }
        if (recent.size() == recentCapacity) {
            recent.removeFirst();
        }
        recent.addLast(b);
    }

    private void startDay(LocalDate d) {
        day = d;
        dayBarClosed = false;
        dayEnd = calendar.tradingDayStart(d.plusDays(1));
    }

    private void clearDay() {
        traded = false;
        open = 0;
        high = 0;
        low = 0;
        volume = 0;
        turnover = 0;
        trades = 0;
        buyVolume = 0;
        sellVolume = 0;
        unattributedVolume = 0;
        unattributedTurnover = 0;
        dayMinutes.clear();
    }

    private Bar dayBar() {
        return new Bar(symbol, Interval.D1, calendar.dayBarStart(Interval.D1, day), open, high, low, last, volume,
                turnover, trades, buyVolume);
    }

    /** The current trading day's statistics with derived ratios (a new immutable value). */
    public DayStats stats() {
        return DayStats.of(symbol, last, prevClose, open, high, low, volume, turnover, trades, buyVolume,
                sellVolume, instrument.floatShares(), instrument.eps(), lastTradeTime);
    }

    /**
     * The latest time this symbol has been told (a trade's or {@link #onTime}'s), {@code Long.MIN_VALUE} before
     * any: a bar whose period's trading ended by then, and that does not hold the live bar, is final (no later
     * trade can land in it, a late one goes into the live bar).
     */
    public long watermark() {
        return watermark;
    }

    /** The current trading day, empty before any time was seen. */
    public Optional<LocalDate> tradingDay() {
        return Optional.ofNullable(day);
    }

    /**
     * The live (not yet closed) bar: for {@link Interval#M1} the current minute's, empty when the
     * minute has no trade yet; for {@link Interval#D1} the day's statistics as a bar (close = last),
     * empty before the day's first trade. Other intervals: roll up with {@link KlineRollup}
     * (IllegalArgumentException here).
     */
    public Optional<Bar> liveBar(Interval interval) {
        return switch (interval) {
            case M1 -> minute == null ? Optional.empty() : Optional.of(minute.build(symbol, Interval.M1));
            case D1 -> !traded || dayBarClosed ? Optional.empty() : Optional.of(dayBar());
            default -> throw new IllegalArgumentException("live bars are kept for 1m and 1d only, not "
                    + interval.code());
        };
    }

    /** The last {@code recentMinuteBars} closed 1m bars (across days), oldest first; a copy. */
    public List<Bar> recentMinuteBars() {
        return List.copyOf(recent);
    }

    /**
     * The current trading day's minute line up to {@code nowMs}: one point per session minute (see
     * {@link MarketCalendar#sessionMinuteStarts}) that has started by {@code nowMs}. Trades outside
     * the session minutes fold into the next session minute (the 09:25 call auction into 09:30), or
     * into the last one after the session. Call {@link #onTime} first so the day is current; before
     * any time was seen the line is empty. Day totals adopted from a snapshot
     * ({@link #adoptDayStats}) belong to no minute but count in the average price from the start.
     */
    public List<MinutePoint> minuteLine(long nowMs) {
        if (day == null) {
            return List.of();
        }
        long[] starts = calendar.sessionMinuteStarts(day);
        List<Bar> bars = new ArrayList<>(dayMinutes.size() + 1);
        bars.addAll(dayMinutes);
        if (minute != null) {
            bars.add(minute.build(symbol, Interval.M1));
        }
        List<MinutePoint> out = new ArrayList<>(starts.length);
        long price = prevClose;
        long cumVolume = unattributedVolume;
        long cumTurnover = unattributedTurnover;
        int next = 0;
        for (int i = 0; i < starts.length && starts[i] <= nowMs; i++) {
            boolean lastMinute = i == starts.length - 1;
            long v = 0;
            long tv = 0;
            while (next < bars.size() && (bars.get(next).time() <= starts[i] || lastMinute)) {
                Bar b = bars.get(next++);
                v += b.volume();
                tv += b.turnover();
                price = b.close();
            }
            cumVolume += v;
            cumTurnover += tv;
            long avg = cumVolume == 0 ? price : Ratios.divRound(cumTurnover, cumVolume);
            out.add(new MinutePoint(starts[i], price, v, tv, avg));
        }
        return out;
    }

    /**
     * Rebuilds the state after a restart from the store, so that the feed's events after the
     * store's checkpoint continue it with no duplicate and no hole. Replaces all state.
     *
     * <p>The wiring's recipe: take the day D of the last stored trade. If the 1d bar of D is stored,
     * D is over: {@code restore(List.of(), thatBar, List.of())}. Otherwise pass D's stored 1m bars,
     * the newest 1d bar before D, and the stored trades after the last of those bars (below).
     * {@code restore(List.of(), null, List.of())} for a store without trades.
     *
     * @param todaysMinuteBars      the stored 1m bars of the trading day of the checkpoint (the day of
     *                              the last stored trade), oldest first; they become the day's
     *                              statistics, minute line and the recent-bar cache. Active buy volume
     *                              is the bars' {@code buyVolume}, active sell volume the rest of
     *                              their volume. The last trade time is unknown until the next trade.
     * @param previousDay           the newest stored 1d bar before that day (its close is the previous
     *                              close), or null: the instrument's previous close
     * @param tradesOfCurrentMinute the stored trades in no closed bar, in seq order: those with time at
     *                              or after the end of the last of {@code todaysMinuteBars} (or the
     *                              trading day's start when there is none). Exact when {@link #onTime}
     *                              never ran ahead of the symbol's feed (see the class comment)
     * @throws IllegalArgumentException for bars of another symbol or interval, out of order, of
     *                                  different trading days, or trades beyond one minute
     */
    public void restore(List<Bar> todaysMinuteBars, Bar previousDay, List<Trade> tradesOfCurrentMinute) {
        recent.clear();
        clearDay();
        minute = null;
        day = null;
        watermark = Long.MIN_VALUE;
        lastTradeTime = 0;
        prevClose = previousDay != null ? previousDay.close() : instrument.prevClose();
        last = previousDay != null ? previousDay.close() : 0;
        long previousTime = Long.MIN_VALUE;
        for (Bar b : todaysMinuteBars) {
            if (!symbol.equals(b.symbol()) || b.interval() != Interval.M1 || b.time() <= previousTime) {
                throw new IllegalArgumentException("restore needs " + symbol + " 1m bars in time order, got " + b);
            }
            LocalDate d = calendar.tradingDay(b.time());
            if (day == null) {
                startDay(d);
            } else if (!d.equals(day)) {
                throw new IllegalArgumentException("restore needs the bars of one trading day: " + day + " and " + d);
            }
            previousTime = b.time();
            addClosedBar(b);
        }
        BarSink none = b -> {
            throw new IllegalArgumentException("restore trades span more than the current minute: " + b);
        };
        for (Trade t : tradesOfCurrentMinute) {
            onTrade(t, none);
        }
    }

    private void addPrices(long o, long h, long l) {
        if (!traded) {
            open = o;
            high = h;
            low = l;
            traded = true;
        } else {
            high = Math.max(high, h);
            low = Math.min(low, l);
        }
    }

    private void addClosedBar(Bar b) {
        addPrices(b.open(), b.high(), b.low());
        volume += b.volume();
        turnover += b.turnover();
        trades += b.trades();
        buyVolume += b.buyVolume();
        sellVolume += b.volume() - b.buyVolume();
        last = b.close();
        dayMinutes.add(b);
        remember(b);
        watermark = Math.max(watermark, b.time() + MINUTE);
    }

    /**
     * Takes the day's totals from an exchange book snapshot of this symbol (a start without a
     * complete stored history, or after a feed gap): open/high/low/volume/turnover/trades, last
     * price and the previous close (the snapshot's band reference). First advances time to the
     * snapshot's (closing what it ends). The 1m bars already held stay; the part of the snapshot's
     * volume and turnover they do not carry has no minute and no aggressor side, so
     * {@code buyVolume + sellVolume} stays what the bars and later trades say. Use a snapshot at
     * least as new as the state.
     *
     * <p>Caveat (A_SHARE): the exchange rolls its statistics at 15:00, this calendar at midnight; a
     * snapshot taken between the two has empty statistics and a reference equal to the day's close.
     */
    public void adoptDayStats(BookSnapshot s, BarSink closed) {
        if (!symbol.equals(s.symbol())) {
            throw new IllegalArgumentException("snapshot of " + s.symbol() + " adopted by " + symbol);
        }
        advance(s.time(), closed);
        long barVolume = 0;
        long barTurnover = 0;
        for (Bar b : dayMinutes) {
            barVolume += b.volume();
            barTurnover += b.turnover();
        }
        if (minute != null) {
            barVolume += minute.volume();
            barTurnover += minute.turnover();
        }
        if (s.open() != Price.NONE) {
            open = s.open();
            high = s.high();
            low = s.low();
            traded = true;
        }
        volume = s.volume();
        turnover = s.turnover();
        trades = s.trades();
        unattributedVolume = Math.max(0, s.volume() - barVolume);
        unattributedTurnover = Math.max(0, s.turnover() - barTurnover);
        if (s.last() != Price.NONE) {
            last = s.last();
        }
        if (s.reference() != Price.NONE) {
            prevClose = s.reference();
        }
    }
}
