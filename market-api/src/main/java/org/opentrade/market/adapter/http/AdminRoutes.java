package org.opentrade.market.adapter.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.BarCsvImport;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketError;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * {@code POST /admin/bars?interval=1m|1d}: imports real bars from CSV
 * ({@code symbol,time,open,high,low,close,volume,turnover}). Administrators only
 * ({@code X-Admin-Token}, compared in constant time); on market-api's own port, not routed by the
 * gateway. All or nothing: any bad row answers 400 -6008 with every error by line number (the first
 * 100) and nothing is stored; otherwise each symbol's range is replaced as one unit and the
 * in-memory caches take the bars. Parsing and writing run on a worker.
 */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    public static void mount(Router router, Vertx vertx, MarketBoard board, TimeSeriesStore store,
                             java.util.function.Supplier<String> adminTokens, long maxBytes) {
        router.post("/admin/bars").handler(ctx -> {
            String adminToken = adminTokens.get();
            if (adminToken == null || adminToken.isEmpty() || !tokenMatches(ctx.request().getHeader("X-Admin-Token"), adminToken)) {
                MarketHttp.fail(ctx, MarketError.ADMIN_REQUIRED, adminToken == null || adminToken.isEmpty()
                        ? "the admin endpoint is off (admin.token is empty)" : "X-Admin-Token is missing or wrong");
                return;
            }
            ctx.next();
        });
        // A second route: Vert.x wants the body handler first on its route, and the token is checked
        // before any of a possibly large body is buffered.
        router.post("/admin/bars").handler(BodyHandler.create(false).setBodyLimit(maxBytes))
                .handler(ctx -> importBars(ctx, vertx, board, store));
    }

    static boolean tokenMatches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void importBars(RoutingContext ctx, Vertx vertx, MarketBoard board, TimeSeriesStore store) {
        String raw = ctx.request().getParam("interval", "1m");
        Interval interval = Interval.parse(raw).filter(i -> i == Interval.M1 || i == Interval.D1).orElse(null);
        if (interval == null) {
            MarketHttp.fail(ctx, MarketError.BAD_INTERVAL, "interval must be 1m or 1d");
            return;
        }
        String csv = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        BarCsvImport parser = new BarCsvImport(interval, board.calendar(), s -> board.get(s) != null,
                BarCsvImport.Options.DEFAULT);
        vertx.executeBlocking(() -> {
            BarCsvImport.Result result = parser.parse(csv);
            if (result.ok()) {
                for (Map.Entry<String, List<Bar>> e : result.bars().entrySet()) {
                    List<Bar> bars = e.getValue();
                    if (!bars.isEmpty()) {
                        long start = bars.get(0).time();
                        long end = bars.get(bars.size() - 1).time() + 1;
                        store.replaceBars(e.getKey(), interval, start, end, bars);
                    }
                }
            }
            return result;
        }, false).onSuccess(result -> {
            if (!result.ok()) {
                MarketHttp.fail(ctx, MarketError.BAD_IMPORT, result.errorCount() + " bad row(s), nothing imported: "
                        + String.join("; ", result.errors()));
                return;
            }
            int count = 0;
            for (Map.Entry<String, List<Bar>> e : result.bars().entrySet()) {
                List<Bar> bars = e.getValue();
                if (!bars.isEmpty()) {
                    // The range the store replaced: the cache replaces it too (a bar the import left out is gone).
                    MarketBoard.SymbolState st = board.get(e.getKey());
                    (interval == Interval.D1 ? st.dayBars() : st.minuteBars())
                            .replaceRange(bars.get(0).time(), bars.get(bars.size() - 1).time() + 1, bars);
                    count += bars.size();
                }
            }
            MarketHttp.ok(ctx, new JsonObject().put("imported", count).put("interval", interval.code())
                    .put("symbols", new JsonArray(List.copyOf(result.bars().keySet()))));
        }).onFailure(err -> {
            if (err instanceof org.opentrade.market.port.StoreUnavailableException) {
                MarketHttp.fail(ctx, MarketError.HISTORY_UNAVAILABLE, "the history store is unavailable; nothing imported");
            } else {
                MarketHttp.internal(ctx, err);
            }
        });
    }
}
