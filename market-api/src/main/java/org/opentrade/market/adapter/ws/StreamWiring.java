package org.opentrade.market.adapter.ws;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.common.web.QueryParams;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.market.adapter.http.Caller;
import org.opentrade.market.adapter.http.CallerCheck;
import org.opentrade.market.adapter.http.MarketHttp;
import org.opentrade.market.adapter.json.MarketJson;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.BarCache;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.MarketError;
import org.opentrade.market.domain.PeriodBars;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.domain.stream.ChannelSource;
import org.opentrade.market.domain.stream.StreamChannel;
import org.opentrade.market.port.MarketListener;

/**
 * Joins the live state to the streams: the board's changes become channel messages
 * ({@code trades:}, {@code quotes:}, {@code depth:} diffs with the book's seq, {@code klines:<interval>:}
 * live bars) and fresh subscribers get snapshots consistent with the channel heads. Serves
 * {@code GET /v1/stream/market}: the upgrade must carry the gateway's assertion (the gateway has
 * authenticated the caller at upgrade or by its first frame); the key's plan sets its subscription
 * limit. Everything runs on the market context.
 */
public final class StreamWiring implements MarketListener, ChannelSource<JsonObject> {
    private static final Interval[] INTERVALS = Interval.values();

    /** What the wiring needs besides the board. */
    public record Options(StreamOptions streams, java.util.function.ToIntFunction<String> maxSubscriptionsOfPlan) {
    }

    private final MarketBoard board;
    private final MarketStreams streams;
    private final Options options;
    /** Channel names per symbol, built once (the listener runs per trade). */
    private final java.util.Map<String, Names> names = new java.util.HashMap<>();
    /**
     * K-line channels whose last message is a bar not final yet, with that bar: it is closed by {@link #time} when
     * its period's trading ends with no trade in its last minute (or day). At most one entry per active channel.
     */
    private final java.util.Map<String, OpenBar> open = new java.util.HashMap<>();

    /** A bar sent open, with the end of its period's trading: before that it cannot be final. */
    private record OpenBar(Bar bar, long tradingEnd) {
    }

    private OpenBar openBar(Names n, Bar b) {
        return new OpenBar(b, n.periods().tradingEnd(b.interval(), b.time()));
    }

    /** One symbol's channel names (K-lines by {@link Interval#ordinal}) and its current bar of each interval. */
    private record Names(String trades, String quotes, String depth, String[] klines, PeriodBars periods) {
        static Names of(String symbol, MarketCalendar calendar) {
            String[] k = new String[INTERVALS.length];
            for (Interval iv : INTERVALS) {
                k[iv.ordinal()] = "klines:" + iv.code() + ":" + symbol;
            }
            return new Names("trades:" + symbol, "quotes:" + symbol, "depth:" + symbol, k, new PeriodBars(calendar));
        }
    }

    private Names names(String symbol) {
        // Only symbols of the board reach the listener and the snapshots: at most one entry per instrument.
        return names.computeIfAbsent(symbol, s -> Names.of(s, board.calendar()));
    }

    public StreamWiring(Vertx vertx, MarketBoard board, Options options) {
        this.board = board;
        this.options = options;
        this.streams = new MarketStreams(vertx, options.streams(), this);
    }

    /** Mounts the WebSocket route; {@code callers} checks the upgrade's assertion. */
    public void mount(Router router, CallerCheck callers) {
        router.get("/v1/stream/market").handler(ctx -> {
            Caller caller = ctx.get("caller");
            if (caller == null) {
                caller = callers.verify(ctx.request());
            }
            if (caller == null) {
                MarketHttp.fail(ctx, MarketError.IDENTITY_MISSING, "market-api answers only connections that come"
                        + " through the gateway: no valid X-OpenTrade-Assertion");
                return;
            }
            String refusal = QueryParams.refusal(ctx, List.of());
            if (refusal != null) {
                MarketHttp.fail(ctx, MarketError.INVALID_PARAMETER, refusal);
                return;
            }
            Caller who = caller;
            String traceId = ctx.get("traceId");
            ctx.request().toWebSocket().onSuccess(ws -> {
                AnswerEnd.upgraded(ctx, 101, true); // its answer never ends: the request ends as the stream opens
                streams.accept(ws, new StreamCaller(who.keyId() == null ? "session:" + who.developerId() : who.keyId(),
                        who.developerId(), options.maxSubscriptionsOfPlan().applyAsInt(who.plan()), traceId));
            });
        });
    }

    public MarketStreams streams() {
        return streams;
    }

    public void metrics(StringBuilder sb) {
        StreamStats s = streams.stats();
        sb.append("market_stream_connections ").append(s.connections()).append('\n');
        sb.append("market_stream_subscriptions ").append(s.subscriptions()).append('\n');
        sb.append("market_stream_channels ").append(s.channels()).append('\n');
        sb.append("market_stream_messages_sent_total ").append(s.messagesSent()).append('\n');
        sb.append("market_stream_slow_consumers_total ").append(s.slowConsumers()).append('\n');
        sb.append("market_stream_slow_consumers_dropped_total ").append(s.slowConsumersDropped()).append('\n');
        sb.append("market_stream_queued_bytes ").append(s.queuedBytes()).append('\n');
        sb.append("market_stream_wire_writes_total ").append(s.wireWrites()).append('\n');
    }

    public void close() {
        streams.close();
    }

    // ---- ChannelSource

    @Override
    public Optional<String> check(String channel) {
        return StreamChannel.check(channel, s -> board.get(s) != null);
    }

    @Override
    public JsonObject snapshot(String channel) {
        StreamChannel c = StreamChannel.parse(channel).orElse(null);
        MarketBoard.SymbolState st = c == null ? null : board.get(c.symbol());
        if (st == null) {
            return null;
        }
        return switch (c.kind()) {
            case TRADES -> null;
            case QUOTES -> MarketJson.quote(board, st, System.currentTimeMillis());
            case DEPTH -> MarketJson.depth(c.symbol(), st.book().seq(), board.publishedBids(c.symbol()),
                    board.publishedAsks(c.symbol())).put("type", "snapshot");
            case KLINES -> {
                Names n = names(c.symbol());
                Bar b = liveBar(st, n, c.interval(), Long.MAX_VALUE);
                if (b == null) {
                    yield null;
                }
                boolean closed = isFinal(st, n, c.interval(), b.time());
                if (!closed) {
                    open.putIfAbsent(channel, openBar(n, b)); // a subscriber has it open: its close is due even if nothing trades
                }
                yield MarketJson.liveBar(b, closed);
            }
        };
    }

    /**
     * Klines: the bar of the channel's interval before the live one, closed, when its period ended within
     * {@code withinMs} (plus the 2 s bars wait for late trades), so a client resuming where this process cannot
     * replay (another instance, a restart) still gets the close it may have missed; a close it had already is the
     * same bar again.
     */
    @Override
    public List<JsonObject> missed(String channel, long withinMs) {
        StreamChannel c = StreamChannel.parse(channel).orElse(null);
        MarketBoard.SymbolState st = c == null || c.kind() != StreamChannel.Kind.KLINES ? null : board.get(c.symbol());
        if (st == null) {
            return List.of();
        }
        Names n = names(c.symbol());
        Interval iv = c.interval();
        Bar live = liveBar(st, n, iv, Long.MAX_VALUE);
        if (live == null) {
            return List.of();
        }
        BarCache closed = iv.isIntraday() ? st.minuteBars() : st.dayBars();
        List<Bar> before = closed.range(0, n.periods().start(iv, live.time()), 1);
        if (before.isEmpty()) {
            return List.of();
        }
        Bar previous = liveBar(st, n, iv, before.get(0).time());
        if (previous == null || previous.time() == live.time()
                || n.periods().tradingEnd(iv, previous.time()) + MarketBoard.CLOSE_GRACE_MS
                < System.currentTimeMillis() - withinMs) {
            return List.of();
        }
        return List.of(MarketJson.liveBar(previous, true));
    }

    // ---- MarketListener: a message is built only for a channel that was ever subscribed (see MarketStreams#active)

    /**
     * A trades channel is numbered by the symbol's trades of all time (the exchange's count, carried on by
     * the board), so its seqs are the same on every market-api instance and across restarts: its log starts
     * at the count with the newest numbered trades the board holds, up to the retention. Without a count
     * (an exchange that does not keep it) the channel is numbered by this process, like the others.
     */
    @Override
    public Origin<JsonObject> origin(String channel) {
        StreamChannel c = StreamChannel.parse(channel).orElse(null);
        MarketBoard.SymbolState st = c == null || c.kind() != StreamChannel.Kind.TRADES ? null : board.get(c.symbol());
        if (st == null || st.tradeCount() < 0) {
            return null;
        }
        List<Trade> recent = st.numberedTrades(options.streams().retention().maxMessages());
        List<JsonObject> messages = new java.util.ArrayList<>(recent.size());
        long[] times = new long[recent.size()];
        long now = System.currentTimeMillis();
        for (int i = 0; i < recent.size(); i++) {
            messages.add(MarketJson.trade(recent.get(i)));
            times[i] = Math.min(recent.get(i).time(), now);
        }
        return new Origin<>(st.tradeCount(), messages, times);
    }

    @Override
    public void trade(Trade trade) {
        String channel = names(trade.symbol()).trades();
        if (streams.active(channel)) {
            streams.publish(channel, board.get(trade.symbol()).lastTradeNumber(),
                    w -> MarketJson.writeTrade(w, trade));
        }
    }

    @Override
    public void tradesRenumbered(String symbol, long count) {
        String channel = names(symbol).trades();
        if (streams.active(channel)) {
            streams.renumber(channel, count);
        }
    }

    @Override
    public void quote(String symbol) {
        String channel = names(symbol).quotes();
        if (streams.active(channel)) {
            streams.publish(channel, MarketJson.quote(board, board.get(symbol), System.currentTimeMillis()));
        }
    }

    @Override
    public void depth(String symbol, long bookSeq, List<BookLevel> bids, List<BookLevel> asks) {
        String channel = names(symbol).depth();
        if (streams.active(channel)) {
            streams.publish(channel, MarketJson.depth(symbol, bookSeq, bids, asks).put("type", "diff"));
        }
    }

    /**
     * A 1m bar changed (a trade) or closed, or a 1d bar closed: publishes the bar of every interval
     * that contains it. {@code closed} is true when that interval's bar is final: a closed 1m bar
     * closes the intraday bars whose last minute it was; a closed 1d bar closes the week or month
     * on their last trading day. A bar whose last minute (or day) had no trade is closed by {@link #time},
     * or just before the next bar when a trade begins that one first.
     */
    @Override
    public void bar(Bar bar) {
        MarketBoard.SymbolState st = board.get(bar.symbol());
        if (st == null) {
            return;
        }
        Names n = names(bar.symbol());
        String[] channels = n.klines();
        if (bar.interval() == Interval.M1) {
            boolean closedMinute = st.live().liveBar(Interval.M1).map(live -> live.time() != bar.time()).orElse(true);
            for (Interval iv : INTERVALS) {
                if (!streams.active(channels[iv.ordinal()])) {
                    continue;
                }
                if (iv.isIntraday()) {
                    Bar b = liveBar(st, n, iv, bar.time());
                    boolean closed = closedMinute && n.periods().lastMinuteOf(iv, bar.time());
                    publishBar(b, closed);
                } else if (!closedMinute) {
                    publishBar(liveBar(st, n, iv, Long.MAX_VALUE), false);
                }
            }
        } else if (bar.interval() == Interval.D1) {
            long dayEnd = n.periods().end(Interval.D1, bar.time());
            for (Interval iv : new Interval[] {Interval.D1, Interval.W1, Interval.MN1}) {
                if (!streams.active(channels[iv.ordinal()])) {
                    continue;
                }
                Bar b = liveBar(st, n, iv, bar.time());
                publishBar(b, iv == Interval.D1 || (b != null && n.periods().end(iv, b.time()) <= dayEnd));
            }
        }
    }

    private void publishBar(Bar b, boolean closed) {
        if (b != null) {
            Names n = names(b.symbol());
            String channel = n.klines()[b.interval().ordinal()];
            OpenBar was = closed ? open.remove(channel) : open.put(channel, openBar(n, b));
            Bar before = was == null ? null : was.bar();
            if (before != null && before.time() != b.time()) {
                // A later bar begins (a trade came before the time did) while the one before is still open: it is
                // final, since the live bar is in a later period.
                Bar last = liveBar(board.get(b.symbol()), n, b.interval(), before.time());
                Bar end = last != null ? last : before;
                streams.publish(channel, w -> MarketJson.writeLiveBar(w, end, true));
            }
            streams.publish(channel, w -> MarketJson.writeLiveBar(w, b, closed));
        }
    }

    /**
     * Closes the open bars ({@link #open}) that are final now. {@link #bar} closes a bar only with a closing bar
     * of its source interval in its last minute (or day), so a 5m–60m bar whose last minute, or a week or month
     * whose last trading day, had no trade of the symbol was never sent {@code closed}: the client saw the next
     * bar begin instead. Runs about once a second, over the open bars of active channels only.
     */
    @Override
    public void time(long nowMs) {
        if (open.isEmpty()) {
            return;
        }
        List<Bar> ended = new java.util.ArrayList<>();
        for (java.util.Iterator<OpenBar> it = open.values().iterator(); it.hasNext(); ) {
            OpenBar o = it.next();
            Bar b = o.bar();
            MarketBoard.SymbolState st = board.get(b.symbol());
            if (st == null) {
                it.remove(); // the symbol left the board: nothing will close its bar
                continue;
            }
            if (st.live().watermark() >= o.tradingEnd() // else not yet: a comparison per bar a second
                    && isFinal(st, names(b.symbol()), b.interval(), b.time())) {
                ended.add(b);
            }
        }
        for (Bar b : ended) {
            MarketBoard.SymbolState st = board.get(b.symbol());
            Bar closed = liveBar(st, names(b.symbol()), b.interval(), b.time());
            publishBar(closed != null ? closed : b, true);
        }
    }

    /**
     * The bar of {@code iv} containing {@code time} (the current one for {@code Long.MAX_VALUE}):
     * the cached closed bars of its period rolled up with the live bar ({@link PeriodBars}).
     */
    private Bar liveBar(MarketBoard.SymbolState st, Names n, Interval iv, long time) {
        boolean intraday = iv.isIntraday();
        Interval source = intraday ? Interval.M1 : Interval.D1;
        BarCache closed = intraday ? st.minuteBars() : st.dayBars();
        Bar live = st.live().liveBar(source).orElse(null);
        long t = time != Long.MAX_VALUE ? time : live != null ? live.time() : lastTime(closed.range(0, Long.MAX_VALUE, 1));
        if (t < 0) {
            return null;
        }
        return n.periods().bar(iv, t, closed, live);
    }

    /**
     * Whether the bar of {@code iv} at {@code time} is final: its period does not hold the live bar of its source
     * interval and the symbol's time has passed the period's trading end. The current bar is such a bar between
     * trades (a minute, a lunch break, a night without trades), and must then say {@code closed}: it was sent
     * as the live bar, {@code "closed": false}, though its period was over, so a client resuming then took a
     * bar that closed while it was away for a live one.
     */
    private boolean isFinal(MarketBoard.SymbolState st, Names n, Interval iv, long time) {
        Bar live = st.live().liveBar(iv.isIntraday() ? Interval.M1 : Interval.D1).orElse(null);
        if (live != null && n.periods().start(iv, live.time()) == n.periods().start(iv, time)) {
            return false;
        }
        return st.live().watermark() >= n.periods().tradingEnd(iv, time);
    }

    private static long lastTime(List<Bar> bars) {
        return bars.isEmpty() ? -1 : bars.get(bars.size() - 1).time();
    }
}
