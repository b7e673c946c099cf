package org.opentrade.market.adapter.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.common.web.QueryParams;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.market.adapter.json.MarketJson;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.DayStats;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.KlineQuery;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.MarketClock;
import org.opentrade.market.domain.MarketError;
import org.opentrade.market.domain.MinutePoint;
import org.opentrade.market.domain.RankBy;
import org.opentrade.market.domain.Rankings;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * market-api's REST endpoints (docs/contracts.md API map, "market"). Every {@code /v1} request must carry the
 * gateway's assertion. Handlers run on the market context (the HTTP server is deployed on it), so
 * they read the live state directly; store reads go to worker threads and their results are merged
 * back on the context. Never blocks the event loop.
 */
public final class MarketRoutes {
    /** Distinct symbols per quotes request; a symbol listed twice counts once. */
    public static final int MAX_QUOTE_SYMBOLS = 100;
    /**
     * Longest {@code symbols} value read (-1002 beyond): the request line that carries it is at most 8 256 bytes
     * at the gateway ({@code max_request_line_bytes}) and here ({@code maxInitialLineLength}), and decoding only
     * shortens it, so no request that got here is refused; it keeps the parse bounded should those limits grow.
     */
    public static final int MAX_SYMBOLS_CHARS = 8_256;
    public static final int MAX_KLINES = 10_000;
    public static final int DEFAULT_KLINES = 500;
    /**
     * Most cached source bars a K-line page rolls up on the market context; a page rolled up from more goes to the
     * read workers like a store read (the market context also applies the feed and writes the streams).
     */
    public static final int MAX_ROLLUP_ON_LOOP = 3_000;
    public static final int MAX_TRADES = 1_000;
    public static final int DEFAULT_TRADES = 100;
    public static final int DEFAULT_DEPTH = 5;
    public static final int DEFAULT_RANKING = 20;

    private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest carrier) {
            return carrier.headers().names();
        }

        @Override
        public String get(HttpServerRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private final MarketBoard board;
    private final TimeSeriesStore store;
    private final Tracing tracing;
    private final CallerCheck callers;
    private final BooleanSupplier ready;
    private final Supplier<Long> clock;
    private final StoreReads reads;

    /** @param reads where store reads (and the roll-ups of what they read) run; bounded */
    public MarketRoutes(MarketBoard board, TimeSeriesStore store, Tracing tracing, CallerCheck callers,
                        BooleanSupplier ready, Supplier<Long> clock, StoreReads reads) {
        this.reads = reads;
        this.board = board;
        this.store = store;
        this.tracing = tracing;
        this.callers = callers;
        this.ready = ready;
        this.clock = clock;
    }

    /** Mounts tracing, the assertion check and the market endpoints on {@code router}. */
    public void mount(Router router) {
        router.route().order(-1000).handler(this::trace);
        router.route("/v1/*").order(-900).handler(this::authenticate);
        router.get("/v1/market/instruments").handler(guarded(this::instruments));
        router.get("/v1/market/instruments/:symbol").handler(guarded(this::instrument));
        router.get("/v1/market/quotes").handler(guarded(this::quotes, "symbols"));
        router.get("/v1/market/depth/:symbol").handler(guarded(this::depth, "levels"));
        router.get("/v1/market/trades/:symbol").handler(guarded(this::trades, "start", "end", "limit", "cursor"));
        router.get("/v1/market/klines/:symbol").handler(guarded(this::klines, "interval", "start", "end", "limit", "cursor"));
        router.get("/v1/market/minute-line/:symbol").handler(guarded(this::minuteLine));
        router.get("/v1/market/rankings").handler(guarded(this::rankings, "by", "order", "limit"));
        router.get("/v1/market/clock").handler(guarded(this::clock));
        router.get("/v1/market/calendar").handler(guarded(this::calendar, "start", "end"));
    }

    /** {@code h} behind the checks every endpoint makes; {@code query}: the query parameters it takes. */
    private io.vertx.core.Handler<RoutingContext> guarded(io.vertx.core.Handler<RoutingContext> h, String... query) {
        List<String> takes = List.of(query);
        return ctx -> {
            try {
                if (!ready.getAsBoolean()) {
                    MarketHttp.fail(ctx, MarketError.NOT_READY, "market data is starting (loading history and books);"
                            + " retry in a few seconds");
                    return;
                }
                String refusal = QueryParams.refusal(ctx, takes);
                if (refusal != null) {
                    MarketHttp.fail(ctx, MarketError.INVALID_PARAMETER, refusal);
                    return;
                }
                h.handle(ctx);
            } catch (Params.BadParam bad) {
                MarketHttp.fail(ctx, bad.error, bad.getMessage());
            } catch (RuntimeException e) {
                MarketHttp.internal(ctx, e);
            }
        };
    }

    private void trace(RoutingContext ctx) {
        if (tracing == null) {
            String tp = ctx.request().getHeader("traceparent");
            ctx.put(MarketHttp.TRACE_ID, tp != null && tp.length() >= 35 ? tp.substring(3, 35)
                    : org.opentrade.common.error.TraceIds.random());
            ctx.next();
            return;
        }
        Context parent = Tracing.propagator().extract(Context.root(), ctx.request(), HEADERS);
        Span span = tracing.tracer().spanBuilder(ctx.request().method() + " " + routeName(ctx.request().path()))
                .setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", ctx.request().method().name())
                .setAttribute("url.path", MarketJsonSafe.path(ctx.request().path()))
                .startSpan();
        ctx.put(MarketHttp.SPAN, span);
        ctx.put(MarketHttp.TRACE_ID, span.getSpanContext().isValid() ? span.getSpanContext().getTraceId()
                : org.opentrade.common.error.TraceIds.random());
        // At the answer's end, or as a stream opens (101): Vert.x Web runs no end handler for an upgraded request.
        AnswerEnd.on(ctx, (status, completed) -> {
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
        ctx.next();
    }

    /** The route template of a path, so span names stay few (not one per symbol). */
    static String routeName(String path) {
        if (path == null) {
            return "";
        }
        for (String prefix : new String[] {"/v1/market/instruments/", "/v1/market/depth/", "/v1/market/trades/",
                "/v1/market/klines/", "/v1/market/minute-line/"}) {
            if (path.startsWith(prefix)) {
                return prefix + "{symbol}";
            }
        }
        return path.length() > 64 ? path.substring(0, 64) : path;
    }

    private void authenticate(RoutingContext ctx) {
        Caller caller = callers.verify(ctx.request());
        if (caller == null) {
            MarketHttp.fail(ctx, MarketError.IDENTITY_MISSING, "market-api answers only requests that come through the"
                    + " gateway: no valid X-OpenTrade-Assertion");
            return;
        }
        ctx.put("caller", caller);
        Span span = ctx.get(MarketHttp.SPAN);
        if (span != null) {
            span.setAttribute(org.opentrade.common.tracing.TraceAttributes.DEVELOPER_ID, caller.developerId());
        }
        ctx.next();
    }

    private MarketBoard.SymbolState symbol(RoutingContext ctx) {
        String s = ctx.pathParam("symbol");
        MarketBoard.SymbolState st = s == null || !Params.SYMBOL.matcher(s).matches() ? null : board.get(s);
        if (st == null) {
            throw new Params.BadParam(MarketError.UNKNOWN_SYMBOL, "unknown symbol '" + Params.clip(s == null ? "" : s)
                    + "'; GET /v1/market/instruments lists them");
        }
        return st;
    }

    private void instruments(RoutingContext ctx) {
        JsonArray items = new JsonArray();
        for (MarketBoard.SymbolState st : board.all()) {
            items.add(MarketJson.instrument(st.instrument()));
        }
        MarketHttp.ok(ctx, new JsonObject().put("items", items).putNull("next_cursor"));
    }

    private void instrument(RoutingContext ctx) {
        MarketHttp.ok(ctx, MarketJson.instrument(symbol(ctx).instrument()));
    }

    JsonObject quoteOf(MarketBoard.SymbolState st) {
        return MarketJson.quote(board, st, clock.get());
    }

    private void quotes(RoutingContext ctx) {
        Set<String> wanted = Params.symbols(ctx.request().getParam("symbols"), MAX_QUOTE_SYMBOLS, MAX_SYMBOLS_CHARS);
        JsonArray items = new JsonArray();
        for (String s : wanted) {
            MarketBoard.SymbolState st = Params.SYMBOL.matcher(s).matches() ? board.get(s) : null;
            if (st == null) {
                throw new Params.BadParam(MarketError.UNKNOWN_SYMBOL, "unknown symbol '" + Params.clip(s) + "'");
            }
            items.add(quoteOf(st));
        }
        MarketHttp.ok(ctx, new JsonObject().put("items", items).putNull("next_cursor"));
    }

    private void depth(RoutingContext ctx) {
        MarketBoard.SymbolState st = symbol(ctx);
        String raw = ctx.request().getParam("levels");
        int levels;
        try {
            levels = Params.limit(raw, DEFAULT_DEPTH, board.depthLevels());
        } catch (Params.BadParam e) {
            throw new Params.BadParam(MarketError.BAD_LEVELS, "levels must be a whole number from 1 to " + board.depthLevels());
        }
        JsonObject body = MarketJson.depth(st.instrument().symbol(), st.book().seq(), board.shownBids(st, levels),
                board.shownAsks(st, levels));
        MarketHttp.ok(ctx, body.put("time", MarketJson.time(clock.get())));
    }

    private void trades(RoutingContext ctx) {
        MarketBoard.SymbolState st = symbol(ctx);
        int limit = Params.limit(ctx.request().getParam("limit"), DEFAULT_TRADES, MAX_TRADES);
        long start = Params.time("start", ctx.request().getParam("start"), 0);
        long end = Params.time("end", ctx.request().getParam("end"), Long.MAX_VALUE);
        long before = Params.cursor(ctx.request().getParam("cursor"));
        if (start >= end) {
            throw new Params.BadParam(MarketError.BAD_RANGE, "start must be before end");
        }
        // The newest trades come from memory (the store lags by a flush); older ones from the store.
        List<Trade> memory = st.trades().newest(start, end, before, limit);
        if (memory.size() == limit) {
            answerTrades(ctx, memory, limit);
            return;
        }
        long storeBefore = memory.isEmpty() ? before : memory.get(memory.size() - 1).seq();
        if (!board.storeCovers(st, storeBefore)) {
            // Trades between the ring and the store: a page without them would end history early (docs/errors.md).
            MarketHttp.retryLater(ctx, MarketError.HISTORY_UNAVAILABLE, "market history is catching up with live data;"
                    + " older trades are not stored yet; retry in a second", 1);
            return;
        }
        int rest = limit - memory.size();
        String symbol = st.instrument().symbol();
        blocking(ctx, "store.trades", () -> store.trades(symbol, start, end, storeBefore, rest)).onSuccess(stored -> {
            List<Trade> all = new ArrayList<>(memory);
            long last = memory.isEmpty() ? Long.MAX_VALUE : memory.get(memory.size() - 1).seq();
            for (Trade t : stored) {
                if (t.seq() < last) {
                    all.add(t);
                }
            }
            answerTrades(ctx, all, limit);
        });
    }

    private void answerTrades(RoutingContext ctx, List<Trade> trades, int limit) {
        JsonArray items = new JsonArray();
        for (Trade t : trades) {
            items.add(MarketJson.trade(t));
        }
        JsonObject body = new JsonObject().put("items", items);
        if (trades.size() == limit && !trades.isEmpty()) {
            body.put("next_cursor", String.valueOf(trades.get(trades.size() - 1).seq()));
        } else {
            body.putNull("next_cursor");
        }
        MarketHttp.ok(ctx, body);
    }

    /**
     * One writer per event-loop thread for K-line bodies: it keeps its array, and the body goes out in a pooled
     * direct buffer ({@link MarketHttp#ok(RoutingContext, JsonBytes)}), so a page makes no heap garbage.
     */
    private static final ThreadLocal<JsonBytes> SCRATCH =
            ThreadLocal.withInitial(() -> new JsonBytes(256 * 1024));

    /** Encoded closed bars of the last page per symbol (market context; see KlinePrefixCache). */
    private final org.opentrade.market.adapter.json.KlinePrefixCache klineText = new org.opentrade.market.adapter.json.KlinePrefixCache();

    private void klines(RoutingContext ctx) {
        MarketBoard.SymbolState st = symbol(ctx);
        String rawInterval = ctx.request().getParam("interval");
        Interval interval = rawInterval == null ? Interval.M1 : Interval.parse(rawInterval).orElseThrow(() ->
                new Params.BadParam(MarketError.BAD_INTERVAL, "interval must be one of 1m 5m 15m 30m 60m 1d 1w 1M, got '"
                        + Params.clip(rawInterval) + "'"));
        int limit = Params.limit(ctx.request().getParam("limit"), DEFAULT_KLINES, MAX_KLINES);
        long start = Params.time("start", ctx.request().getParam("start"), 0);
        long end = Math.min(Params.time("end", ctx.request().getParam("end"), Long.MAX_VALUE),
                Params.cursor(ctx.request().getParam("cursor")));
        if (start >= end) {
            throw new Params.BadParam(MarketError.BAD_RANGE, "start must be before end (and before cursor)");
        }
        boolean intraday = interval.isIntraday();
        Bar live = st.live().liveBar(intraday ? Interval.M1 : Interval.D1).orElse(null);
        KlineQuery.Plan plan = KlineQuery.plan(intraday ? st.minuteBars() : st.dayBars(), live, interval, start, end, limit,
                board.calendar());
        String symbol = st.instrument().symbol();
        if (!plan.needStore() && interval == plan.source()) { // as cached, no roll-up: the closed text can be reused
            KlineQuery.Page page = KlineQuery.finish(plan, List.of(), board.calendar());
            MarketHttp.ok(ctx, klineText.page(SCRATCH.get().reset(), symbol, interval,
                    intraday ? st.minuteBars() : st.dayBars(), page.bars(), live, page.nextCursor()));
            return;
        }
        if (!plan.needStore() && plan.memory().size() <= MAX_ROLLUP_ON_LOOP) {
            answerKlines(ctx, symbol, interval, KlineQuery.finish(plan, List.of(), board.calendar()));
            return;
        }
        // Rolled up on the read workers: up to 300 000 source bars take tens of milliseconds on the A-share calendar,
        // and the 20 000 cached minutes a 60m page of 327 bars rolls up take milliseconds of the market context.
        MarketCalendar calendar = board.calendar();
        blocking(ctx, plan.needStore() ? "store.bars" : "klines.rollup", () -> KlineQuery.finish(plan, plan.needStore()
                ? store.bars(symbol, plan.source(), plan.sourceStart(), plan.storeEnd(), plan.storeLimit()) : List.of(),
                calendar))
                .onSuccess(page -> answerKlines(ctx, symbol, interval, page));
    }

    private void answerKlines(RoutingContext ctx, String symbol, Interval interval, KlineQuery.Page page) {
        MarketHttp.ok(ctx, MarketJson.klines(SCRATCH.get().reset(), symbol, interval.code(), page.bars(),
                page.nextCursor(), null, 0));
    }

    private void minuteLine(RoutingContext ctx) {
        MarketBoard.SymbolState st = symbol(ctx);
        long now = clock.get();
        JsonArray points = new JsonArray();
        for (MinutePoint p : st.live().minuteLine(now)) {
            points.add(MarketJson.minutePoint(p));
        }
        DayStats s = st.live().stats();
        MarketHttp.ok(ctx, new JsonObject().put("symbol", st.instrument().symbol())
                .put("trading_day", st.live().tradingDay().orElse(board.calendar().tradingDay(now)).toString())
                .put("prev_close", MarketJson.price(s.prevClose())).put("points", points));
    }

    private void clock(RoutingContext ctx) {
        MarketHttp.ok(ctx, MarketJson.clock(MarketClock.at(board.calendar(), clock.get()), board.calendar()));
    }

    /** Days are the exchange's local dates, {@code start} to {@code end} included: by default this one and six more. */
    private void calendar(RoutingContext ctx) {
        MarketCalendar cal = board.calendar();
        LocalDate today = cal.localDay(clock.get());
        LocalDate start = Params.date("start", ctx.request().getParam("start"), today);
        LocalDate end = Params.date("end", ctx.request().getParam("end"), Params.LAST_DATE.minusDays(6).isBefore(start)
                ? Params.LAST_DATE : start.plusDays(6));
        if (end.isBefore(start) || java.time.temporal.ChronoUnit.DAYS.between(start, end) >= MarketClock.MAX_DAYS) {
            throw new Params.BadParam(MarketError.BAD_RANGE, "end must not be before start, and the range may span at most "
                    + MarketClock.MAX_DAYS + " days");
        }
        MarketHttp.ok(ctx, MarketJson.calendar(MarketClock.days(cal, start, end), cal));
    }

    private void rankings(RoutingContext ctx) {
        String by = ctx.request().getParam("by");
        RankBy rankBy = by == null ? RankBy.CHANGE_PCT : RankBy.parse(by).orElseThrow(() -> new Params.BadParam(
                MarketError.BAD_RANKING, "by must be one of change_pct, volume, turnover, amplitude, turnover_rate, got '"
                + Params.clip(by) + "'"));
        String order = ctx.request().getParam("order");
        if (order != null && !order.equals("desc") && !order.equals("asc")) {
            throw new Params.BadParam(MarketError.BAD_RANKING, "order must be desc or asc");
        }
        int limit = Params.limit(ctx.request().getParam("limit"), DEFAULT_RANKING, Math.max(1, board.all().size()));
        List<DayStats> stats = new ArrayList<>();
        for (MarketBoard.SymbolState st : board.all()) {
            stats.add(st.live().stats());
        }
        JsonArray items = new JsonArray();
        int rank = 1;
        for (DayStats s : Rankings.rank(stats, rankBy, !"asc".equals(order), limit)) {
            items.add(quoteOf(board.get(s.symbol())).put("rank", rank++));
        }
        MarketHttp.ok(ctx, new JsonObject().put("by", rankBy.wireName()).put("order", order == null ? "desc" : order)
                .put("items", items).putNull("next_cursor"));
    }

    /**
     * Runs a store read on {@link StoreReads}' workers, in a child span; a store outage answers 503 -6014, and so
     * does a read refused because that pool is full or one that has not answered in time (with {@code Retry-After}).
     */
    private <T> Future<T> blocking(RoutingContext ctx, String name, java.util.concurrent.Callable<T> call) {
        Span parent = ctx.get(MarketHttp.SPAN);
        Span span = tracing == null ? Span.getInvalid() : tracing.tracer().spanBuilder(name)
                .setParent(parent == null ? Context.root() : Context.root().with(parent)).setSpanKind(SpanKind.CLIENT)
                .startSpan();
        Future<T> f = reads.run(call);
        return f.andThen(ar -> span.end()).onFailure(err -> {
            if (StoreReads.refused(err)) {
                MarketHttp.retryLater(ctx, MarketError.HISTORY_UNAVAILABLE, "too many market history reads in progress"
                        + " on this instance; live data still works; retry after the time in Retry-After", 1);
            } else if (StoreReads.late(err)) {
                MarketHttp.retryLater(ctx, MarketError.HISTORY_UNAVAILABLE, "market history did not answer within "
                        + reads.timeoutSeconds() + " s; live data still works; retry later", 1);
            } else if (err instanceof StoreUnavailableException) {
                MarketHttp.fail(ctx, MarketError.HISTORY_UNAVAILABLE, "market history is unavailable right now; live"
                        + " data still works; retry later");
            } else {
                MarketHttp.internal(ctx, err);
            }
        });
    }

    /** For tests and the stream wiring: a symbol's quote in the contract's shape. */
    public JsonObject quote(String symbol) {
        MarketBoard.SymbolState st = board.get(symbol);
        return st == null ? null : quoteOf(st);
    }
}
