package org.opentrade.market.adapter.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.BarCsvImport;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketError;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * {@code POST /admin/bars?interval=1m|1d}: imports real bars from CSV
 * ({@code symbol,time,open,high,low,close,volume,turnover}). Administrators only
 * ({@code X-Admin-Token}, compared in constant time); on market-api's own port, not routed by the
 * gateway. The body is CSV whatever its {@code Content-Type} says ({@code curl --data-binary} sends
 * {@code application/x-www-form-urlencoded}). All or nothing for the rows: any bad row answers 400 -6008
 * with every error by line number (the first 100) and nothing is stored. Then each symbol's range is
 * replaced as one unit, symbol after symbol, in the store (on a worker) and then in the in-memory cache
 * (on the market context); a store failure stops there and the answer (503 -6014) names the symbols
 * already imported, whose cache is updated too, so cache and store agree.
 *
 * <p>One import at a time per instance: another one while it runs answers 503 -6014 with
 * {@code Retry-After: 1}. So the cache takes the imports in the order the store did (two at once left
 * the cache with one's bars and the store with the other's).
 */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    /** @param clock epoch ms now: an imported bar may not start after the current bar of its interval */
    public static void mount(Router router, Vertx vertx, MarketBoard board, TimeSeriesStore store,
                             Supplier<String> adminTokens, long maxBytes, Supplier<Long> clock) {
        AtomicBoolean importing = new AtomicBoolean();
        router.post("/admin/bars").handler(ctx -> {
            String adminToken = adminTokens.get();
            if (adminToken == null || adminToken.isEmpty() || !tokenMatches(ctx.request().getHeader("X-Admin-Token"), adminToken)) {
                MarketHttp.fail(ctx, MarketError.ADMIN_REQUIRED, adminToken == null || adminToken.isEmpty()
                        ? "the admin endpoint is off (admin.token is empty)" : "X-Admin-Token is missing or wrong");
                return;
            }
            // The body handler would decode a form body as form fields (and refuse a large one, 400 -1001).
            String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "text/csv");
            }
            ctx.next();
        });
        // A second route: Vert.x wants the body handler first on its route, and the token is checked
        // before any of a possibly large body is buffered.
        router.post("/admin/bars").handler(BodyHandler.create(false).setBodyLimit(maxBytes))
                .handler(ctx -> importBars(ctx, vertx, board, store, importing, clock));
    }

    static boolean tokenMatches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** Which symbols' ranges the store replaced, in order, and the failure that stopped the rest (or null). */
    private record Outcome(BarCsvImport.Result parsed, List<String> stored, Throwable failure) {
    }

    /** Called on the market context; {@code importing} is held from here until the cache took the bars. */
    private static void importBars(RoutingContext ctx, Vertx vertx, MarketBoard board, TimeSeriesStore store,
                                   AtomicBoolean importing, Supplier<Long> clock) {
        String raw = ctx.request().getParam("interval", "1m");
        Interval interval = Interval.parse(raw).filter(i -> i == Interval.M1 || i == Interval.D1).orElse(null);
        if (interval == null) {
            MarketHttp.fail(ctx, MarketError.BAD_INTERVAL, "interval must be 1m or 1d");
            return;
        }
        if (!importing.compareAndSet(false, true)) {
            MarketHttp.retryLater(ctx, MarketError.HISTORY_UNAVAILABLE,
                    "another bar import is running on this instance; retry when it is done", 1);
            return;
        }
        String csv = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        BarCsvImport parser = new BarCsvImport(interval, board.calendar(), s -> board.get(s) != null,
                BarCsvImport.Options.DEFAULT, clock.get());
        vertx.executeBlocking(() -> {
            BarCsvImport.Result result = parser.parse(csv);
            List<String> stored = new ArrayList<>();
            if (result.ok()) {
                for (Map.Entry<String, List<Bar>> e : result.bars().entrySet()) {
                    List<Bar> bars = e.getValue();
                    try {
                        store.replaceBars(e.getKey(), interval, bars.get(0).time(), bars.get(bars.size() - 1).time() + 1,
                                bars);
                    } catch (RuntimeException err) {
                        return new Outcome(result, stored, err);
                    }
                    stored.add(e.getKey());
                }
            }
            return new Outcome(result, stored, null);
        }, false).onComplete(ar -> {
            try {
                if (ar.failed()) {
                    MarketHttp.internal(ctx, ar.cause());
                } else {
                    answer(ctx, board, interval, ar.result());
                }
            } catch (RuntimeException err) {
                MarketHttp.internal(ctx, err);
            } finally {
                importing.set(false);
            }
        });
    }

    private static void answer(RoutingContext ctx, MarketBoard board, Interval interval, Outcome outcome) {
        BarCsvImport.Result result = outcome.parsed();
        if (!result.ok()) {
            MarketHttp.fail(ctx, MarketError.BAD_IMPORT, result.errorCount() + " bad row(s), nothing imported: "
                    + String.join("; ", result.errors()));
            return;
        }
        int count = 0;
        for (String symbol : outcome.stored()) {
            List<Bar> bars = result.bars().get(symbol);
            // The range the store replaced: the cache replaces it too (a bar the import left out is gone).
            MarketBoard.SymbolState st = board.get(symbol);
            (interval == Interval.D1 ? st.dayBars() : st.minuteBars())
                    .replaceRange(bars.get(0).time(), bars.get(bars.size() - 1).time() + 1, bars);
            count += bars.size();
        }
        if (outcome.failure() == null) {
            MarketHttp.ok(ctx, new JsonObject().put("imported", count).put("interval", interval.code())
                    .put("symbols", new JsonArray(List.copyOf(result.bars().keySet()))));
            return;
        }
        List<String> symbols = List.copyOf(result.bars().keySet());
        String failed = symbols.get(outcome.stored().size());
        String done = outcome.stored().isEmpty() ? "nothing imported"
                : "imported before it: " + String.join(", ", outcome.stored()) + " (" + count + " bar(s))";
        String left = String.join(", ", symbols.subList(outcome.stored().size(), symbols.size()));
        if (outcome.failure() instanceof StoreUnavailableException) {
            MarketHttp.fail(ctx, MarketError.HISTORY_UNAVAILABLE, "the history store is unavailable while importing "
                    + failed + "; " + done + "; not (wholly) imported: " + left
                    + " (sending the same file again completes it)");
        } else {
            MarketHttp.internal(ctx, new IllegalStateException("bar import failed at " + failed + "; " + done
                    + "; not imported: " + left, outcome.failure()));
        }
    }
}
