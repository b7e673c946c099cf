package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** market-api against the real exchange in one JVM: REST shapes, live data from the feed, errors. */
class MarketApiServiceTest {
    @TempDir
    static Path dir;
    static MarketHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = MarketHarness.start(null, true, 5);
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void instrumentsListTheExchangeUniverseWithRules() throws Exception {
        HttpResponse<Buffer> r = h.get("/v1/market/instruments");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
        assertEquals(32, items.size());
        JsonObject pf = h.get("/v1/market/instruments/600000.SH").bodyAsJsonObject();
        assertEquals("10.45", pf.getString("prev_close"));
        assertEquals(100, pf.getInteger("lot_size"));
        assertEquals("0.01", pf.getString("tick_size"));
        assertEquals(10, pf.getInteger("price_band_pct"));
        assertEquals("SH_MAIN", pf.getString("board"));
        assertNotNull(r.getHeader("X-Trace-Id"));
    }

    @Test
    void aTradeOnTheExchangeShowsInQuotesTradesDepthAndKlines() throws Exception {
        String sym = "601398.SH";
        h.limit(1001, "alice", sym, "SELL", "7.15", 300);
        h.limit(1002, "alice", sym, "SELL", "7.16", 500);
        h.limit(1003, "bob", sym, "BUY", "7.15", 200);
        h.until(() -> {
            try {
                return h.get("/v1/market/quotes?symbols=" + sym).bodyAsJsonObject().getJsonArray("items")
                        .getJsonObject(0).getLong("volume") == 200;
            } catch (Exception e) {
                return false;
            }
        }, 10);
        JsonObject q = h.get("/v1/market/quotes?symbols=" + sym).bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
        assertEquals("7.15", q.getString("last"));
        assertEquals("7.15", q.getString("ask"));
        assertEquals(100, q.getLong("ask_size"));
        assertEquals("7.12", q.getString("prev_close"));
        assertEquals("0.03", q.getString("change"));
        assertEquals("0.42", q.getString("change_pct"), "0.03 / 7.12 = 0.421 %");
        assertEquals(200, q.getLong("buy_volume"));
        JsonObject trades = h.get("/v1/market/trades/" + sym).bodyAsJsonObject();
        JsonObject t = trades.getJsonArray("items").getJsonObject(0);
        assertEquals("7.15", t.getString("price"));
        assertEquals(200, t.getLong("qty"));
        assertEquals("buy", t.getString("side"));
        JsonObject depth = h.get("/v1/market/depth/" + sym + "?levels=2").bodyAsJsonObject();
        assertEquals(new JsonArray().add(new JsonArray().add("7.15").add(100)).add(new JsonArray().add("7.16").add(500)),
                depth.getJsonArray("asks"));
        JsonArray bars = h.get("/v1/market/klines/" + sym + "?interval=1m&limit=1").bodyAsJsonObject().getJsonArray("bars");
        assertEquals(1, bars.size());
        assertEquals("7.15", bars.getJsonObject(0).getString("close"));
        assertEquals(200, bars.getJsonObject(0).getLong("volume"));
    }

    /**
     * An import replaces the symbol's range in the store and in the in-memory cache alike: a day the import left out
     * is gone from the K-lines too (it stayed in the cache, so the REST answer showed a bar the store no longer had).
     */
    @Test
    void anImportedRangeReplacesTheCachedBarsAndADayItLeftOutIsGone() throws Exception {
        String sym = "600887.SH";
        JsonArray before = h.get("/v1/market/klines/" + sym + "?interval=1d&limit=10").bodyAsJsonObject().getJsonArray("bars");
        assertEquals(5, before.size(), before.encode());
        String day1 = before.getJsonObject(1).getString("time");
        String day2 = before.getJsonObject(2).getString("time");
        String day3 = before.getJsonObject(3).getString("time");
        String csv = org.opentrade.market.domain.BarCsvImport.HEADER + "\n"
                + sym + "," + day1 + ",30.00,30.50,29.50,30.10,1000,30100.00\n"
                + sym + "," + day3 + ",30.10,30.60,29.60,30.20,2000,60400.00\n";

        HttpResponse<Buffer> imported = adminPost("/admin/bars?interval=1d", csv);

        assertEquals(200, imported.statusCode(), imported.bodyAsString());
        assertEquals(2, imported.bodyAsJsonObject().getInteger("imported"));
        JsonArray after = h.get("/v1/market/klines/" + sym + "?interval=1d&limit=10").bodyAsJsonObject().getJsonArray("bars");
        assertEquals(4, after.size(), after.encode());
        assertTrue(after.stream().map(b -> ((JsonObject) b).getString("time")).noneMatch(day2::equals),
                "the day the import left out is gone: " + after.encode());
        assertEquals("30.10", after.getJsonObject(1).getString("close"));
        assertEquals("30.20", after.getJsonObject(2).getString("close"));
        assertEquals(before.getJsonObject(4), after.getJsonObject(3), "outside the range nothing changed");
    }

    /** POSTs as the market-api admin (its own port, the admin token of the harness). */
    private static HttpResponse<Buffer> adminPost(String uri, String body) throws Exception {
        return MarketHarness.await(h.client.post(h.market.port(), "127.0.0.1", uri)
                .putHeader("X-Admin-Token", "admin-token-for-tests").putHeader("Content-Type", "text/csv")
                .sendBuffer(Buffer.buffer(body)));
    }

    @Test
    void backfilledHistoryGivesDailyKlinesEndingAtThePreviousClose() throws Exception {
        JsonObject k = h.get("/v1/market/klines/600519.SH?interval=1d&limit=10").bodyAsJsonObject();
        JsonArray bars = k.getJsonArray("bars");
        assertEquals(5, bars.size(), k.encode());
        assertEquals("1488.00", bars.getJsonObject(4).getString("close"));
        JsonObject minutes = h.get("/v1/market/klines/600519.SH?interval=1m&limit=1000").bodyAsJsonObject();
        assertEquals(1000, minutes.getJsonArray("bars").size());
        assertNotNull(minutes.getString("next_cursor"));
        JsonObject older = h.get("/v1/market/klines/600519.SH?interval=1m&limit=1000&cursor="
                + minutes.getString("next_cursor")).bodyAsJsonObject();
        assertEquals(200, older.getJsonArray("bars").size(), "5 days x 240 = 1200 bars in all");
        assertNull(older.getString("next_cursor"));
    }

    @Test
    void aSymbolWithoutTradesTodayShowsZerosAsDecimalsNotBlanks() throws Exception {
        JsonObject q = h.get("/v1/market/quotes?symbols=688111.SH").bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
        assertEquals(0, q.getLong("volume"));
        assertEquals("0.00", q.getString("turnover"));
        assertEquals("0.00", q.getString("change"));
        assertEquals("0.00", q.getString("change_pct"));
        assertEquals("0.00", q.getString("amplitude_pct"));
        assertEquals("0.00", q.getString("turnover_rate_pct"));
        assertEquals("281.50", q.getString("prev_close"));
        assertEquals("281.50", q.getString("last"), "before a trade today, last is the previous close");
    }

    @Test
    void rankingsOrderSymbolsByTheAskedFigure() throws Exception {
        JsonObject r = h.get("/v1/market/rankings?by=volume&limit=3").bodyAsJsonObject();
        assertEquals("volume", r.getString("by"));
        JsonArray items = r.getJsonArray("items");
        assertEquals(3, items.size());
        assertTrue(items.getJsonObject(0).getLong("volume") >= items.getJsonObject(1).getLong("volume"));
        assertEquals(1, items.getJsonObject(0).getInteger("rank"));
    }

    /** The harness's exchange runs the 24×7 calendar: always matching, a week of one-session days by default. */
    @Test
    void theClockAndCalendarAnswerTheExchangesSessions() throws Exception {
        JsonObject clock = h.get("/v1/market/clock").bodyAsJsonObject();
        assertEquals("continuous", clock.getString("calendar"));
        assertEquals("continuous", clock.getString("phase"));
        assertEquals(true, clock.getBoolean("is_open"));
        assertEquals(true, clock.getBoolean("accepts_orders"));
        assertTrue(clock.containsKey("next_open") && clock.getValue("next_open") == null, clock.encode());
        java.time.Instant dayEnds = java.time.Instant.parse(clock.getString("trading_day_ends_at"));
        java.time.Instant now = java.time.Instant.parse(clock.getString("time"));
        assertTrue(dayEnds.isAfter(now) && !dayEnds.isAfter(now.plus(java.time.Duration.ofDays(1))), clock.encode());

        JsonArray week = h.get("/v1/market/calendar").bodyAsJsonObject().getJsonArray("days");
        assertEquals(7, week.size());
        JsonObject first = week.getJsonObject(0);
        assertEquals(1, first.getJsonArray("sessions").size());
        assertEquals(first.getString("open"), first.getJsonArray("sessions").getJsonObject(0).getString("start"));
        JsonObject days = h.get("/v1/market/calendar?start=2026-01-05&end=2026-01-06").bodyAsJsonObject();
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        java.time.LocalTime dayEnd = dayEnds.atZone(shanghai).toLocalTime(); // the harness's, 15:00 as shipped
        assertEquals(java.time.LocalDate.of(2026, 1, 5).atTime(dayEnd).atZone(shanghai).toInstant(),
                java.time.Instant.parse(days.getJsonArray("days").getJsonObject(0).getString("close")));
        assertEquals(2, days.getJsonArray("days").size());

        assertError("/v1/market/calendar?start=2026-01-06&end=2026-01-05", 400, -6003);
        assertError("/v1/market/calendar?start=2026-01-01&end=2027-01-02", 400, -6003);
        assertError("/v1/market/calendar?start=monday", 400, -6003);
        assertError("/v1/market/calendar?start=%2B99999-01-01", 400, -6003);
        assertError("/v1/market/calendar?start=1969-12-31", 400, -6003);
        // The 24×7 day of 1970-01-01 starts the afternoon before, outside the epoch its open could be given in.
        assertError("/v1/market/calendar?start=1970-01-01", 400, -6003);
        // 1970-01-02's opens the day before at the day end: 07:00 UTC as shipped; a day end before 08:00 local would
        // open it before the epoch, which the calendar leaves null.
        JsonObject firstDay = h.get("/v1/market/calendar?start=1970-01-02&end=1970-01-02").bodyAsJsonObject();
        java.time.Instant firstOpen = java.time.LocalDate.of(1970, 1, 1).atTime(dayEnd).atZone(shanghai).toInstant();
        assertEquals(firstOpen.isBefore(java.time.Instant.EPOCH) ? null : firstOpen.toString().replace("Z", ".000Z"),
                firstDay.getJsonArray("days").getJsonObject(0).getString("open"));
        JsonArray lastDays = h.get("/v1/market/calendar?start=9999-12-30").bodyAsJsonObject().getJsonArray("days");
        assertEquals(java.util.List.of("9999-12-30", "9999-12-31"), lastDays.stream()
                .map(d -> ((JsonObject) d).getString("trading_day")).toList(), "the default week stops at the last date");
        assertError("/v1/market/calendar?from=2026-01-05", 400, -1002);
        assertError("/v1/market/clock?symbol=600000.SH", 400, -1002);
    }

    @Test
    void callsWithoutTheGatewayAssertionAreRefused() throws Exception {
        HttpResponse<Buffer> r = h.getAnonymous("/v1/market/instruments");
        assertEquals(401, r.statusCode());
        assertEquals(-2021, r.bodyAsJsonObject().getInteger("error_no"));
        assertEquals(32, r.bodyAsJsonObject().getString("trace_id").length());
    }

    @Test
    void badRequestsGetTheErrorModelWithMarketDataNumbers() throws Exception {
        assertError("/v1/market/quotes?symbols=NOPE.SH", 404, -6001);
        assertError("/v1/market/klines/600000.SH?interval=2m", 400, -6002);
        assertError("/v1/market/klines/600000.SH?interval=1m&limit=10001", 400, -6004);
        assertError("/v1/market/klines/600000.SH?start=yesterday", 400, -6003);
        assertError("/v1/market/klines/600000.SH?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z", 400, -6003);
        assertError("/v1/market/trades/600000.SH?cursor=abc", 400, -6005);
        assertError("/v1/market/rankings?by=mood", 400, -6007);
        assertError("/v1/market/depth/600000.SH?levels=0", 400, -6009);
        assertError("/v1/market/quotes", 400, -1002);
        assertError("/v1/market/nothing", 404, -1004);
        assertError("/v1/market/quotes?symbols=600000.SH,", 400, -1002);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append(String.format("%06d.SH", i));
        }
        assertError("/v1/market/quotes?symbols=" + many, 400, -6006);
        assertError("/v1/market/quotes?symbols=" + ",".repeat(7_000), 400, -1002);
    }

    /** A misspelled parameter used to be ignored (a whole history for a typo of start), a repeated one read first. */
    @Test
    void aQueryParameterTheEndpointDoesNotTakeOrOneGivenTwiceIsRefused() throws Exception {
        assertError("/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ", 400, -1002);
        assertError("/v1/market/depth/600000.SH?level=3", 400, -1002);
        assertError("/v1/market/klines/600000.SH?interval=1m&strat=2026-01-01", 400, -1002);
        assertError("/v1/market/klines/600000.SH?interval=1m&limit=3&limit=2", 400, -1002);
        assertError("/v1/market/trades/600000.SH?interval=1m", 400, -1002);
        assertError("/v1/market/rankings?by=volume&sort=asc", 400, -1002);
        assertError("/v1/market/instruments?board=main", 400, -1002);
        assertError("/v1/market/minute-line/600000.SH?date=2026-01-05", 400, -1002);
        assertError("/v1/stream/market?symbols=600000.SH", 400, -1002);
        assertError("/v1/market/rankings?by=%zz", 400, -1002);
        assertEquals("unknown query parameter 'level'; allowed: levels",
                h.get("/v1/market/depth/600000.SH?level=3").bodyAsJsonObject().getString("error"));
        assertEquals(200, h.get("/v1/market/klines/600000.SH?interval=1m&limit=2&start=2026-01-01T00:00:00Z").statusCode());
    }

    /** docs/contracts.md: a 405 carries {@code Allow}, the methods the path takes. */
    @Test
    void aMethodThePathDoesNotTakeGets405WithAllow() throws Exception {
        for (String[] c : new String[][] {{"/v1/market/quotes?symbols=600000.SH", "GET"},
                {"/v1/market/trades/600000.SH", "GET"}, {"/ready", "GET, HEAD"}}) {
            HttpResponse<Buffer> r = MarketHarness.await(h.client.request(io.vertx.core.http.HttpMethod.POST,
                    h.market.port(), "127.0.0.1", c[0]).putHeader(MarketHarness.TEST_CALLER, "dev-1").send());
            assertEquals(405, r.statusCode(), c[0] + " -> " + r.bodyAsString());
            assertEquals(-1005, r.bodyAsJsonObject().getInteger("error_no"), c[0]);
            assertEquals(c[1], r.getHeader("Allow"), c[0]);
        }
    }

    @Test
    void aSymbolListedManyTimesIsAnsweredOnce() throws Exception {
        // 8 000 characters: far more than 100 symbols' worth, but one distinct symbol
        String repeated = String.join(",", java.util.Collections.nCopies(800, "600000.SH")) + ",000001.SZ,%20600000.SH";
        HttpResponse<Buffer> r = h.get("/v1/market/quotes?symbols=" + repeated);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
        assertEquals(2, items.size());
        assertEquals("600000.SH", items.getJsonObject(0).getString("symbol"));
        assertEquals("000001.SZ", items.getJsonObject(1).getString("symbol"));
    }

    private static void assertError(String uri, int status, int errorNo) throws Exception {
        HttpResponse<Buffer> r = h.get(uri);
        String shown = uri.length() > 120 ? uri.substring(0, 120) + "…" : uri;
        assertEquals(status, r.statusCode(), shown + " -> " + r.bodyAsString());
        JsonObject body = r.bodyAsJsonObject();
        assertEquals(errorNo, body.getInteger("error_no"), shown);
        assertNotNull(body.getString("error"));
        assertEquals(32, body.getString("trace_id").length());
    }

    @Test
    void metricsCountRequestsByRouteTemplate() throws Exception {
        h.get("/v1/market/depth/600000.SH");
        h.get("/v1/market/depth/NOSUCH.SH");
        String text = h.market.metrics();
        assertTrue(text.contains("market_requests_total{route=\"GET /v1/market/depth/:symbol\",status=\"200\"}"), text);
        assertTrue(text.contains("market_requests_total{route=\"GET /v1/market/depth/:symbol\",status=\"404\"}"), text);
        assertTrue(!text.contains("NOSUCH"), "no raw path in a label: " + text);
    }
}
