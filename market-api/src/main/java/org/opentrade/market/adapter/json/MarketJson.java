package org.opentrade.market.adapter.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.opentrade.common.json.IsoTimes;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.SessionClock;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.DayStats;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.MarketClock;
import org.opentrade.market.domain.MinutePoint;
import org.opentrade.market.domain.Trade;

/**
 * The one mapping of market data to the resource shapes of docs/contracts.md (REST bodies and stream
 * payloads alike): snake_case, prices and money as decimal strings, quantities as integers, times as
 * RFC 3339 UTC with milliseconds. Stateless; any thread.
 */
public final class MarketJson {

    private MarketJson() {
    }

    /** RFC 3339 in UTC with milliseconds; {@link IsoTimes} (the JDK formatter's text, without its cost per call). */
    public static String time(long epochMs) {
        return IsoTimes.format(epochMs);
    }

    /** Hundredths as "12.34"; an absent price ({@link Price#NONE} or 0 where "none" is meant) as null. */
    public static String price(long hundredths) {
        return hundredths == Price.NONE ? null : Price.format(hundredths);
    }

    /** Basis points of a percent as a percent with two places: 123 → "1.23", -5 → "-0.05", 0 → "0.00". */
    public static String percent(long basisPoints) {
        return decimal(basisPoints);
    }

    /**
     * Hundredths as a decimal with two places, zero included ({@code "0.00"}): for money and figures
     * where 0 is a value, unlike {@link Price#format}, which writes its "no price" 0 as "".
     */
    public static String decimal(long hundredths) {
        StringBuilder sb = new StringBuilder(16);
        Price.appendTo(sb, hundredths);
        return sb.toString();
    }

    public static JsonObject instrument(Instrument i) {
        return new JsonObject().put("symbol", i.symbol()).put("name", i.name()).put("board", i.board())
                .put("prev_close", price(i.prevClose())).put("tick_size", price(i.tickSize()))
                .put("lot_size", i.boardLot()).put("max_order_qty", i.maxOrderQty())
                .put("price_band_pct", i.bandPercent())
                .put("float_shares", i.floatShares()).put("eps", decimal(i.eps()));
    }

    /**
     * A quote: last trade and day statistics from {@code s}, L1 from the book ({@code bid}/{@code ask}
     * null when that side is empty).
     */
    public static JsonObject quote(DayStats s, BookLevel bid, BookLevel ask, long time) {
        boolean traded = s.volume() > 0;
        return new JsonObject().put("symbol", s.symbol())
                .put("last", traded || s.last() > 0 ? price(s.last()) : null)
                .put("bid", bid == null ? null : price(bid.price())).put("bid_size", bid == null ? 0 : bid.qty())
                .put("ask", ask == null ? null : price(ask.price())).put("ask_size", ask == null ? 0 : ask.qty())
                .put("open", traded ? price(s.open()) : null).put("high", traded ? price(s.high()) : null)
                .put("low", traded ? price(s.low()) : null).put("prev_close", price(s.prevClose()))
                .put("change", traded ? decimal(s.change()) : "0.00")
                .put("change_pct", traded ? percent(s.changeBp()) : "0.00")
                .put("amplitude_pct", percent(s.amplitudeBp()))
                .put("volume", s.volume()).put("turnover", decimal(s.turnover())).put("trades", s.trades())
                .put("vwap", traded ? price(s.vwap()) : null)
                .put("buy_volume", s.buyVolume()).put("sell_volume", s.sellVolume())
                .put("turnover_rate_pct", percent(s.turnoverRateBp()))
                .put("pe", s.pe() == 0 ? null : decimal(s.pe()))
                .put("time", time(time));
    }

    /**
     * A symbol's quote now: day statistics and last trade from its live state, L1 from its book as the board shows it
     * ({@link org.opentrade.market.domain.MarketBoard#shownBids}: never crossed while the exchange matches).
     */
    public static JsonObject quote(org.opentrade.market.domain.MarketBoard board,
                                   org.opentrade.market.domain.MarketBoard.SymbolState st, long now) {
        DayStats s = st.live().stats();
        List<BookLevel> bids = board.shownBids(st, 1);
        List<BookLevel> asks = board.shownAsks(st, 1);
        return quote(s, bids.isEmpty() ? null : bids.get(0), asks.isEmpty() ? null : asks.get(0),
                s.lastTradeTime() > 0 ? s.lastTradeTime() : now);
    }

    public static JsonObject trade(Trade t) {
        return new JsonObject().put("trade_id", t.tradeId()).put("symbol", t.symbol()).put("price", price(t.price()))
                .put("qty", t.qty()).put("side", t.aggressor() == Side.BUY ? "buy" : "sell").put("time", time(t.time()))
                .put("seq", t.seq());
    }

    /** {@link #trade}'s bytes written straight into {@code w} (the stream's hot path: one per trade). */
    public static void writeTrade(JsonBytes w, Trade t) {
        w.raw("{\"trade_id\":\"").number(t.shard()).raw('-').number(t.seq()).raw("\",\"symbol\":").string(t.symbol())
                .raw(",\"price\":").price(t.price()).raw(",\"qty\":").number(t.qty())
                .raw(t.aggressor() == Side.BUY ? ",\"side\":\"buy\"" : ",\"side\":\"sell\"")
                .raw(",\"time\":").time(t.time()).raw(",\"seq\":").number(t.seq()).raw('}');
    }

    public static JsonObject bar(Bar b) {
        return new JsonObject().put("time", time(b.time())).put("open", price(b.open())).put("high", price(b.high()))
                .put("low", price(b.low())).put("close", price(b.close())).put("volume", b.volume())
                .put("turnover", decimal(b.turnover())).put("trades", b.trades());
    }

    /**
     * A K-line page, {@code {"symbol","interval","bars":[…],"next_cursor"}}, written directly to bytes
     * (the same text {@link #bar} per bar would give, at a fraction of the CPU; see {@link JsonBytes}).
     */
    public static io.vertx.core.buffer.Buffer klines(String symbol, String interval, List<Bar> bars, Long nextCursor) {
        return klines(symbol, interval, bars, nextCursor, null, 0);
    }

    /**
     * As {@link #klines(String, String, List, Long)}, with the first {@code prefixBars} bars already
     * encoded as {@code prefix} ({@link #barsText} of exactly those bars).
     */
    public static io.vertx.core.buffer.Buffer klines(String symbol, String interval, List<Bar> bars, Long nextCursor,
                                                     byte[] prefix, int prefixBars) {
        JsonBytes w = new JsonBytes(64 + (prefix == null ? 0 : prefix.length) + (bars.size() - prefixBars) * 170);
        return klines(w, symbol, interval, bars, nextCursor, prefix, prefixBars).asBuffer();
    }

    /** Writes the page into {@code w} (after what it holds) and returns it. */
    public static JsonBytes klines(JsonBytes w, String symbol, String interval, List<Bar> bars, Long nextCursor,
                                   byte[] prefix, int prefixBars) {
        w.raw("{\"symbol\":").string(symbol).raw(",\"interval\":").string(interval).raw(",\"bars\":[");
        int from = 0;
        if (prefix != null && prefixBars > 0) {
            w.raw(prefix);
            from = prefixBars;
        }
        for (int i = from; i < bars.size(); i++) {
            if (i > 0) {
                w.raw(',');
            }
            writeBar(w, bars.get(i));
        }
        w.raw("],\"next_cursor\":");
        if (nextCursor == null) {
            w.raw("null");
        } else {
            w.string(String.valueOf(nextCursor));
        }
        return w.raw('}');
    }

    /** The bars as the comma-separated inside of a K-line page's {@code bars} array. */
    public static byte[] barsText(List<Bar> bars) {
        JsonBytes w = new JsonBytes(bars.size() * 170);
        for (int i = 0; i < bars.size(); i++) {
            if (i > 0) {
                w.raw(',');
            }
            writeBar(w, bars.get(i));
        }
        return w.toBytes();
    }

    /** One bar as {@link #bar} shapes it. */
    public static void writeBar(JsonBytes w, Bar b) {
        w.raw("{\"time\":").time(b.time()).raw(",\"open\":").price(b.open()).raw(",\"high\":").price(b.high())
                .raw(",\"low\":").price(b.low()).raw(",\"close\":").price(b.close())
                .raw(",\"volume\":").number(b.volume()).raw(",\"turnover\":").decimal(b.turnover())
                .raw(",\"trades\":").number(b.trades()).raw('}');
    }

    /** {@link #liveBar}'s bytes written straight into {@code w} (the stream's hot path: per trade and interval). */
    public static void writeLiveBar(JsonBytes w, Bar b, boolean closed) {
        w.raw("{\"time\":").time(b.time()).raw(",\"open\":").price(b.open()).raw(",\"high\":").price(b.high())
                .raw(",\"low\":").price(b.low()).raw(",\"close\":").price(b.close())
                .raw(",\"volume\":").number(b.volume()).raw(",\"turnover\":").decimal(b.turnover())
                .raw(",\"trades\":").number(b.trades()).raw(",\"symbol\":").string(b.symbol())
                .raw(",\"interval\":").string(b.interval().code()).raw(closed ? ",\"closed\":true}" : ",\"closed\":false}");
    }

    /** A stream K-line update: the bar plus its symbol, interval and whether it is final. */
    public static JsonObject liveBar(Bar b, boolean closed) {
        return bar(b).put("symbol", b.symbol()).put("interval", b.interval().code()).put("closed", closed);
    }

    public static JsonArray levels(List<BookLevel> levels) {
        JsonArray a = new JsonArray();
        for (BookLevel l : levels) {
            a.add(new JsonArray().add(decimal(l.price())).add(l.qty()));
        }
        return a;
    }

    public static JsonObject depth(String symbol, long bookSeq, List<BookLevel> bids, List<BookLevel> asks) {
        return new JsonObject().put("symbol", symbol).put("seq", bookSeq).put("bids", levels(bids)).put("asks", levels(asks));
    }

    public static JsonObject minutePoint(MinutePoint p) {
        return new JsonObject().put("time", time(p.time())).put("price", price(p.price())).put("volume", p.volume())
                .put("turnover", decimal(p.turnover())).put("avg_price", price(p.avgPrice()));
    }

    /** {@code GET /v1/market/clock}: the phase now and the moments it changes (null: none within the horizon). */
    public static JsonObject clock(SessionClock c, MarketCalendar calendar) {
        return new JsonObject().put("time", time(c.time()))
                .put("calendar", calendarName(calendar))
                .put("zone", calendar.zone().getId())
                .put("phase", phase(c.phase()))
                .put("is_open", c.phase().matches())
                .put("accepts_orders", c.phase().acceptsOrders())
                .put("next_phase", c.nextPhase() == null ? null : phase(c.nextPhase()))
                .put("next_phase_at", optionalTime(c.nextPhaseAt()))
                .put("next_open", optionalTime(c.nextOpen()))
                .put("next_close", optionalTime(c.nextClose()))
                .put("trading_day_ends_at", optionalTime(c.tradingDayEndsAt()));
    }

    /** {@code GET /v1/market/calendar}: the trading days with their sessions. */
    public static JsonObject calendar(List<MarketClock.Day> days, MarketCalendar calendar) {
        JsonArray out = new JsonArray();
        for (MarketClock.Day d : days) {
            JsonArray sessions = new JsonArray();
            for (MarketClock.Session s : d.sessions()) {
                sessions.add(new JsonObject().put("phase", phase(s.phase())).put("start", time(s.start()))
                        .put("end", time(s.end())));
            }
            out.add(new JsonObject().put("trading_day", d.date().toString()).put("open", optionalTime(d.open()))
                    .put("close", optionalTime(d.close())).put("sessions", sessions));
        }
        return new JsonObject().put("calendar", calendarName(calendar))
                .put("zone", calendar.zone().getId()).put("days", out);
    }

    /** The wire name of the exchange's calendar, as the exchange's universe names it: {@code a-share} or {@code continuous}. */
    private static String calendarName(MarketCalendar calendar) {
        return calendar.kind() == MarketCalendar.Kind.A_SHARE ? "a-share" : "continuous";
    }

    /** The wire name of a session phase: {@code closed call_auction pre_open continuous break}. */
    public static String phase(SessionPhase p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String optionalTime(long epochMs) {
        return epochMs < 0 ? null : time(epochMs);
    }
}
