package org.opentrade.market.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.port.ForwardingTimeSeriesStore;
import org.opentrade.market.port.HistorySink;
import org.opentrade.market.port.StoreUnavailableException;

/** {@code POST /admin/bars} against an in-memory store whose bar replacements the tests can stop or fail. */
class AdminRoutesTest {
    private static final String TOKEN = "admin-token-for-tests";
    private static final ZoneId SH = ZoneId.of("Asia/Shanghai");
    /** The import's clock: Monday 2026-01-05 10:00 Shanghai. */
    private static final long NOW = ZonedDateTime.of(2026, 1, 5, 10, 0, 0, 0, SH).toInstant().toEpochMilli();
    private static final HistorySink NONE = org.opentrade.market.port.NoHistory.INSTANCE;

    private final Vertx vertx = Vertx.vertx();
    private final HookStore store = new HookStore();
    private final MarketBoard board = new MarketBoard(List.of(instrument("600000.SH"), instrument("600001.SH")),
            new MarketCalendar(MarketCalendar.Kind.A_SHARE, SH, LocalTime.of(15, 0)), 100, 10, NONE, 5, Runnable::run);

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Instrument instrument(String symbol) {
        return new Instrument(symbol, "T", "SH_MAIN", 1000, 1, 100, 1_000_000, 10, 2_000_000, 45);
    }

    /** The in-memory store, with hooks before and after each symbol's range is replaced (on the worker). */
    private static final class HookStore extends ForwardingTimeSeriesStore {
        volatile Consumer<List<Bar>> before = b -> { };
        volatile Consumer<List<Bar>> after = b -> { };

        HookStore() {
            super(new InMemoryTimeSeriesStore());
        }

        @Override
        public void replaceBars(String s, Interval i, long start, long end, List<Bar> b) {
            before.accept(b);
            delegate.replaceBars(s, i, start, end, b);
            after.accept(b);
        }
    }

    private int serve() throws Exception {
        Router router = Router.router(vertx);
        OperationsRoutes.mount(router, () -> true, JsonObject::new, () -> "");
        AdminRoutes.mount(router, vertx, board, store, () -> TOKEN, 64L << 20, () -> NOW);
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private CompletableFuture<HttpResponse<Buffer>> send(int port, String contentType, String csv) {
        return WebClient.create(vertx).post(port, "127.0.0.1", "/admin/bars?interval=1d")
                .putHeader("X-Admin-Token", TOKEN).putHeader("Content-Type", contentType)
                .sendBuffer(Buffer.buffer(csv)).toCompletionStage().toCompletableFuture();
    }

    private HttpResponse<Buffer> post(int port, String csv) throws Exception {
        return send(port, "text/csv", csv).get(30, TimeUnit.SECONDS);
    }

    /** Both symbols' daily bar of Monday 2026-01-05 closing at {@code close}. */
    private static String bothSymbols(String close) {
        return "symbol,time,open,high,low,close,volume,turnover\n"
                + "600000.SH,2026-01-05T00:00:00+08:00,10.00,11.00,9.00," + close + ",100,1000.00\n"
                + "600001.SH,2026-01-05T00:00:00+08:00,10.00,11.00,9.00," + close + ",100,1000.00\n";
    }

    private List<Long> storedCloses(String symbol) {
        return store.bars(symbol, Interval.D1, 0, Long.MAX_VALUE, 10).stream().map(Bar::close).toList();
    }

    private List<Long> cachedCloses(String symbol) {
        return board.get(symbol).dayBars().range(0, Long.MAX_VALUE, 10).stream().map(Bar::close).toList();
    }

    /** It answered "nothing imported" while the first symbol's range was replaced in the store (not in the cache). */
    @Test
    void aStoreFailureOnTheSecondSymbolNamesTheFirstAsImportedAndCachesIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        store.before = b -> {
            if (calls.incrementAndGet() == 2) {
                throw new StoreUnavailableException("down", null);
            }
        };
        int port = serve();

        HttpResponse<Buffer> r = post(port, bothSymbols("10.50"));

        assertEquals(503, r.statusCode(), r.bodyAsString());
        JsonObject body = r.bodyAsJsonObject();
        assertEquals(-6014, body.getInteger("error_no"));
        assertEquals("the history store is unavailable while importing 600001.SH; imported before it: 600000.SH"
                + " (1 bar(s)); not (wholly) imported: 600001.SH (sending the same file again completes it)",
                body.getString("error"));
        assertEquals(List.of(1050L), storedCloses("600000.SH"));
        assertEquals(storedCloses("600000.SH"), cachedCloses("600000.SH"), "cache and store agree");
        assertEquals(List.of(), storedCloses("600001.SH"));
        assertEquals(List.of(), cachedCloses("600001.SH"));
    }

    /** Two at once left the store with one import's bars and the cache with the other's. */
    @Test
    void aSecondImportWhileOneRunsIsRefusedAndTheCacheFollowsTheStore() throws Exception {
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.after = b -> {
            if (b.get(0).close() == 1050 && b.get(0).symbol().equals("600001.SH")) {
                firstWritten.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        int port = serve();
        CompletableFuture<HttpResponse<Buffer>> first = send(port, "text/csv", bothSymbols("10.50"));
        assertTrue(firstWritten.await(20, TimeUnit.SECONDS));

        HttpResponse<Buffer> second = post(port, bothSymbols("10.60"));
        release.countDown();
        HttpResponse<Buffer> firstAnswer = first.get(20, TimeUnit.SECONDS);

        assertEquals(503, second.statusCode(), second.bodyAsString());
        assertEquals(-6014, second.bodyAsJsonObject().getInteger("error_no"));
        assertEquals("1", second.getHeader("Retry-After"));
        assertEquals(200, firstAnswer.statusCode(), firstAnswer.bodyAsString());
        assertEquals(List.of(1050L), storedCloses("600001.SH"));
        assertEquals(storedCloses("600001.SH"), cachedCloses("600001.SH"));

        HttpResponse<Buffer> again = post(port, bothSymbols("10.60"));
        assertEquals(200, again.statusCode(), again.bodyAsString());
        assertEquals(List.of(1060L), storedCloses("600001.SH"));
        assertEquals(storedCloses("600001.SH"), cachedCloses("600001.SH"));
    }

    /** Passed the parser and, on InfluxDB, failed in its nanoseconds (IllegalArgumentException): a 500. */
    @Test
    void aBarInTheFutureIsRefusedNamingItsLineAndNeverReachesTheStore() throws Exception {
        store.before = b -> {
            throw new IllegalArgumentException("time out of range"); // what InfluxDB's store throws past 2262
        };
        int port = serve();

        HttpResponse<Buffer> r = post(port, "symbol,time,open,high,low,close,volume,turnover\n"
                + "600000.SH,2026-01-05T00:00:00+08:00,10.00,11.00,9.00,10.50,100,1000.00\n"
                + "600000.SH,2300-01-02T00:00:00+08:00,10.00,11.00,9.00,10.50,100,1000.00\n");

        assertEquals(400, r.statusCode(), r.bodyAsString());
        assertEquals(-6008, r.bodyAsJsonObject().getInteger("error_no"));
        assertTrue(r.bodyAsJsonObject().getString("error").contains("line 3: time 2300-01-01T16:00:00Z is in the future"),
                r.bodyAsString());
    }

    /** {@code curl --data-binary @file} sends application/x-www-form-urlencoded; it was decoded as a form: 400 -1001. */
    @Test
    void aBodySentAsAFormIsReadAsCsv() throws Exception {
        int port = serve();
        StringBuilder csv = new StringBuilder("symbol,time,open,high,low,close,volume,turnover\n");
        int rows = 0;
        for (LocalDate d = LocalDate.of(2024, 1, 1); rows < 400; d = d.plusDays(1)) {
            if (d.getDayOfWeek().getValue() <= 5) {
                csv.append("600000.SH,").append(d).append("T00:00:00+08:00,10.00,11.00,9.00,10.50,100,1000.00\n");
                rows++;
            }
        }

        HttpResponse<Buffer> r = send(port, "application/x-www-form-urlencoded", csv.toString()).get(30, TimeUnit.SECONDS);

        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals(400, r.bodyAsJsonObject().getInteger("imported"));
    }
}
