package org.opentrade.market.adapter.influx;

import static org.opentrade.market.adapter.influx.InfluxQl.identifier;
import static org.opentrade.market.adapter.influx.InfluxQl.nanos;
import static org.opentrade.market.adapter.influx.InfluxQl.string;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.adapter.influx.InfluxHttp.Series;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.domain.TradeSeek;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * Market history in a broker's InfluxDB, 1.x or 2.x, over the 1.x HTTP API that both serve
 * ({@code /write} and {@code /query}; on 2.x through a DBRP mapping). Blocking and thread-safe: called
 * from market-api's store writer thread and from worker threads, never from an event loop.
 *
 * <p>Layout. Measurements {@code bars_1m} and {@code bars_1d}: tag {@code symbol}, time = bar start,
 * integer fields {@code open high low close volume turnover trades buy_volume}. InfluxDB keeps one
 * point per measurement + tag set + timestamp, so writing a bar again overwrites it: upsert for free.
 * Measurement {@code trades}: tag {@code symbol}, time = {@code time_ms * 1e6 + seq mod 1e6} ns, so
 * several trades in one millisecond are distinct points and the same trade (same seq) written again
 * lands on the same point (idempotent); integer fields {@code shard seq price qty side}
 * ({@link Side#code()}). Where seq passes a multiple of 1e6 inside one millisecond, time order is not seq
 * order, so a trades read takes the whole of the oldest millisecond it reaches and returns newest first by
 * seq. A read below a cursor bounds how many points at or above it influxd reads (it filters {@code seq}, a field,
 * point by point): past {@link InfluxOptions#tradeSkipBound()} it seeks the cursor by time ({@link TradeSeek}).
 * Measurement {@code checkpoints}: tag {@code shard}, time 0, field {@code seq} (upsert). Prices and
 * turnover are integer hundredths, never floats.
 *
 * <p>Transport. Points are built with influxdb-client-java's {@link Point} (line-protocol escaping),
 * but sent with {@code java.net.http} ({@link InfluxHttp}): the client's write API posts to
 * {@code /api/v2/write}, which InfluxDB serves only from 1.8 on (Debian's 1.6.7 answers 404). Reads
 * also go to {@code /query} directly instead of through the client's {@code InfluxQLQueryApi}: that
 * API does talk to 1.6.7 (checked), but its JSON and CSV readers drop the per-statement
 * {@code "error"} the server sends with HTTP 200 ("database not found", a refused DELETE), so a failed
 * read would look like an empty one and a failed delete like a done one. Symbols are validated
 * ({@code [0-9A-Za-z.]{1,17}}, every symbol market-api serves) and escaped before they enter InfluxQL.
 *
 * <p>Failures. A server that cannot be reached, does not answer within
 * {@link InfluxOptions#requestTimeout()} or refuses a call gives {@link StoreUnavailableException}.
 * Large writes go in batches of {@link InfluxOptions#writeBatchSize()}: a failure may leave earlier
 * batches written, which is harmless because every write is an idempotent upsert and the retry writes
 * them again. The database is created ({@code CREATE DATABASE}, idempotent) before first use unless
 * {@link InfluxOptions#createDatabase()} is off (2.x), and again if it disappears.
 *
 * <p>{@link #replaceBars}: InfluxDB has no transactions, so the swap is ordered to keep readers safe:
 * (1) read which bar times exist in the range, (2) write the new bars (overwriting old bars at the
 * same times in place), (3) delete only the old bars at times the new set does not have. So no
 * reader ever finds a hole: at a time both sets have, it sees the old or the new bar, never none and
 * never two. What is not atomic: while the call runs (and after a failure between (2) and (3)) a
 * reader can see new bars next to old bars at times the new set lacks, and after a failure inside
 * (2) new bars at some times and old at others. Retrying the same call completes the swap. A bar
 * written into the range by someone else during the call, at a time neither set has, is kept.
 */
public final class InfluxTimeSeriesStore implements TimeSeriesStore {
    static final String TRADES = "trades";
    static final String CHECKPOINTS = "checkpoints";
    private static final String BAR_FIELDS =
            "\"open\",\"high\",\"low\",\"close\",\"volume\",\"turnover\",\"trades\",\"buy_volume\"";
    private static final String TRADE_FIELDS = "\"shard\",\"seq\",\"price\",\"qty\",\"side\"";
    /** DELETE statements per /query request: one round trip for a typical replace, short enough to log. */
    private static final int DELETES_PER_REQUEST = 200;
    /**
     * {@link TradeSeek} probes per /query request. More: fewer round trips to find a deep cursor (16: about
     * log17 of the history's span in ms, 6 for a day, 9 for 120 days); fewer: less work for influxd per seek.
     */
    static final int TRADE_PROBES_PER_REQUEST = 16;

    private final InfluxOptions options;
    private final InfluxHttp http;
    private volatile boolean databaseReady;
    private volatile boolean closed;
    private final LongAdder requests = new LongAdder();
    private volatile BiConsumer<String, List<List<Series>>> queryLog = (statements, answer) -> { };

    /** Connects lazily: nothing is sent until the first call, so a down server does not stop start-up. */
    public InfluxTimeSeriesStore(InfluxOptions options) {
        this.options = options;
        this.http = new InfluxHttp(options);
    }

    /** The measurement of {@code interval}'s bars; only 1m and 1d are stored. */
    static String barMeasurement(Interval interval) {
        return switch (interval) {
            case M1 -> "bars_1m";
            case D1 -> "bars_1d";
            default -> throw new IllegalArgumentException("only 1m and 1d bars are stored, got " + interval.code());
        };
    }

    @Override
    public void writeTrades(List<Trade> trades) {
        List<String> lines = new ArrayList<>(trades.size());
        for (Trade t : trades) {
            lines.add(Point.measurement(TRADES)
                    .addTag("symbol", InfluxQl.symbol(t.symbol()))
                    .addField("shard", (long) t.shard())
                    .addField("seq", t.seq())
                    .addField("price", t.price())
                    .addField("qty", t.qty())
                    .addField("side", (long) t.aggressor().code())
                    .time(tradeNanos(t), WritePrecision.NS)
                    .toLineProtocol());
        }
        write(lines);
    }

    /** Distinct per trade within one millisecond as long as fewer than a million seqs fall into it. */
    private static long tradeNanos(Trade t) {
        try {
            return Math.addExact(Math.multiplyExact(t.time(), InfluxQl.NS_PER_MS), Math.floorMod(t.seq(), InfluxQl.NS_PER_MS));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("trade time out of range: " + t, e);
        }
    }

    @Override
    public void writeBars(Interval interval, List<Bar> bars) {
        String measurement = barMeasurement(interval);
        List<String> lines = new ArrayList<>(bars.size());
        for (Bar b : bars) {
            if (b.interval() != interval) {
                throw new IllegalArgumentException("bar of " + b.interval().code() + " among " + interval.code() + " bars: " + b);
            }
            lines.add(barLine(measurement, b));
        }
        write(lines);
    }

    private static String barLine(String measurement, Bar b) {
        return Point.measurement(measurement)
                .addTag("symbol", InfluxQl.symbol(b.symbol()))
                .addField("open", b.open())
                .addField("high", b.high())
                .addField("low", b.low())
                .addField("close", b.close())
                .addField("volume", b.volume())
                .addField("turnover", b.turnover())
                .addField("trades", b.trades())
                .addField("buy_volume", b.buyVolume())
                .time(nanosExact(b.time()), WritePrecision.NS)
                .toLineProtocol();
    }

    private static long nanosExact(long millis) {
        try {
            return Math.multiplyExact(millis, InfluxQl.NS_PER_MS);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("time out of range: " + millis, e);
        }
    }

    @Override
    public void replaceBars(String symbol, Interval interval, long start, long end, List<Bar> bars) {
        String measurement = barMeasurement(interval);
        InfluxQl.symbol(symbol);
        TreeSet<Long> fresh = new TreeSet<>();
        List<String> lines = new ArrayList<>(bars.size());
        for (Bar b : bars) {
            if (!b.symbol().equals(symbol) || b.interval() != interval || b.time() < start || b.time() >= end) {
                throw new IllegalArgumentException("bar outside " + symbol + " " + interval.code() + " [" + start + ", "
                        + end + "): " + b);
            }
            fresh.add(nanosExact(b.time()));
            lines.add(barLine(measurement, b));
        }
        if (start >= end) {
            return;
        }
        String where = "\"symbol\"=" + string(symbol);
        long startNs = nanos(start);
        long endNs = nanos(end);
        List<Long> old = call(() -> times(measurement, where, startNs, endNs));
        write(lines);
        List<String> deletes = new ArrayList<>();
        for (long[] run : leftoverRuns(old, fresh)) {
            deletes.add("DELETE FROM " + identifier(measurement) + " WHERE " + where + " AND time >= " + run[0]
                    + " AND time <= " + run[1]);
        }
        for (int i = 0; i < deletes.size(); i += DELETES_PER_REQUEST) {
            String batch = String.join("; ", deletes.subList(i, Math.min(deletes.size(), i + DELETES_PER_REQUEST)));
            call(() -> query(batch));
        }
    }

    /**
     * Maximal runs {@code [first, last]} of old times that the new set lacks and that contain no new
     * time: deleting them removes exactly the old bars the new set does not overwrite.
     */
    static List<long[]> leftoverRuns(List<Long> old, TreeSet<Long> fresh) {
        List<long[]> runs = new ArrayList<>();
        long[] run = null;
        for (long t : old) {
            if (fresh.contains(t)) {
                run = null;
            } else if (run != null && fresh.subSet(run[1], false, t, false).isEmpty()) {
                run[1] = t;
            } else {
                run = new long[] {t, t};
                runs.add(run);
            }
        }
        return runs;
    }

    /** Every point time of {@code measurement} matching {@code where} in {@code [startNs, endNs)}, ascending. */
    private List<Long> times(String measurement, String where, long startNs, long endNs) {
        List<Long> out = new ArrayList<>();
        long lower = startNs;
        while (true) {
            int page = options.readPageSize();
            Series s = single(query("SELECT \"close\" FROM " + identifier(measurement) + " WHERE " + where
                    + " AND time >= " + lower + " AND time < " + endNs + " ORDER BY time ASC LIMIT " + page));
            if (s == null) {
                return out;
            }
            int time = s.column("time");
            for (List<Object> row : s.rows()) {
                out.add(longAt(row, time));
            }
            if (s.rows().size() < page) {
                return out;
            }
            lower = out.get(out.size() - 1) + 1;
        }
    }

    @Override
    public List<Bar> bars(String symbol, Interval interval, long start, long end, int limit) {
        String measurement = barMeasurement(interval);
        InfluxQl.symbol(symbol);
        if (start >= end || limit <= 0) {
            return List.of();
        }
        List<Bar> out = new ArrayList<>();
        for (Series s : call(() -> newest(measurement, BAR_FIELDS, "\"symbol\"=" + string(symbol), nanos(start), nanos(end), limit))) {
            int[] c = columns(s, "time", "open", "high", "low", "close", "volume", "turnover", "trades", "buy_volume");
            for (List<Object> r : s.rows()) {
                out.add(new Bar(symbol, interval, Math.floorDiv(longAt(r, c[0]), InfluxQl.NS_PER_MS), longAt(r, c[1]),
                        longAt(r, c[2]), longAt(r, c[3]), longAt(r, c[4]), longAt(r, c[5]), longAt(r, c[6]),
                        longAt(r, c[7]), longAt(r, c[8])));
            }
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public List<Trade> trades(String symbol, long start, long end, long beforeSeq, int limit) {
        InfluxQl.symbol(symbol);
        if (start >= end || limit <= 0 || beforeSeq == Long.MIN_VALUE) {
            return List.of();
        }
        String tag = "\"symbol\"=" + string(symbol);
        String where = tag + " AND \"seq\" < " + beforeSeq;
        long startNs = nanos(start);
        long endNs = nanos(end);
        List<Trade> out = new ArrayList<>();
        long oldestNs = beforeSeq == Long.MAX_VALUE
                ? readNewest(symbol, where, startNs, endNs, limit, out)
                : readBelowCursor(symbol, tag, where, start, startNs, endNs, beforeSeq, limit, out);
        if (out.size() >= limit) {
            // Time order is seq order except where seq mod 1e6 wraps inside one millisecond, so the oldest
            // millisecond read may hold a trade of higher seq not read yet: read all of it (as QuestDbTimeSeriesStore
            // does), else the page's last seq, the next cursor, would pass over that trade.
            long msStartNs = Math.max(startNs, Math.floorDiv(oldestNs, InfluxQl.NS_PER_MS) * InfluxQl.NS_PER_MS);
            if (msStartNs < oldestNs) {
                readNewest(symbol, where, msStartNs, oldestNs, Integer.MAX_VALUE, out);
            }
        }
        out.sort(Comparator.comparingLong(Trade::seq).reversed());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /**
     * Adds the newest {@code limit} trades (by point time) below the cursor in {@code [startNs, endNs)} to {@code out};
     * returns the oldest point time read. influxd filters {@code seq} by reading each point from the newest down, so
     * this reads at most {@link InfluxOptions#tradeSkipBound()} + 1 points at or above the cursor (and the ties of
     * two milliseconds): first where the newest of them lies, one request; a cursor above it is read from the
     * newest trade down, as always; a cursor below it is sought by bisecting time ({@link TradeSeek}, 16 probes
     * per request) and read from there.
     */
    private long readBelowCursor(String symbol, String tag, String where, long start, long startNs, long endNs,
            long beforeSeq, int limit, List<Trade> out) {
        String range = " FROM " + identifier(TRADES) + " WHERE " + tag + " AND time >= " + startNs + " AND time < " + endNs;
        List<List<Series>> edges = call(() -> query("SELECT \"seq\"" + range + " ORDER BY time DESC LIMIT 1 OFFSET "
                + options.tradeSkipBound() + "; SELECT \"seq\"" + range + " ORDER BY time ASC LIMIT 1"));
        Series bound = series(edges, 0);
        Series oldest = series(edges, 1);
        if (oldest == null) {
            return Long.MAX_VALUE; // no trade in the range
        }
        if (bound == null) {
            return readNewest(symbol, where, startNs, endNs, limit, out); // at most the bound's points in the range
        }
        long boundNs = longAt(bound.rows().get(0), bound.column("time"));
        if (longAt(bound.rows().get(0), bound.column("seq")) < beforeSeq) {
            // The cursor is among the newest bound + 1 points: read them; below them only ties are at or above it.
            long oldestNs = readNewest(symbol, where, boundNs, endNs, limit, out);
            return out.size() >= limit ? oldestNs
                    : Math.min(oldestNs, readNewest(symbol, where, startNs, oldestNs, limit - out.size(), out));
        }
        // Every point from the bound's next millisecond on is newer than the bound's, so of a higher seq: seek below.
        long lo = Math.max(start, Math.floorDiv(longAt(oldest.rows().get(0), oldest.column("time")), InfluxQl.NS_PER_MS));
        long hi = Math.floorDiv(boundNs, InfluxQl.NS_PER_MS) + 1;
        long e = TradeSeek.endBefore((from, to) -> call(() -> probe(tag, from, to)), lo, hi, beforeSeq,
                TRADE_PROBES_PER_REQUEST);
        return readNewest(symbol, where, startNs, nanos(e), limit, out);
    }

    /** One request: for each {@code from[i]}, the oldest trade point in {@code [from[i], to)} (ms). */
    private List<TradeSeek.Hit> probe(String tag, long[] from, long to) {
        List<String> statements = new ArrayList<>(from.length);
        for (long f : from) {
            statements.add("SELECT \"seq\" FROM " + identifier(TRADES) + " WHERE " + tag + " AND time >= " + nanos(f)
                    + " AND time < " + nanos(to) + " ORDER BY time ASC LIMIT 1");
        }
        List<List<Series>> answer = query(String.join("; ", statements));
        List<TradeSeek.Hit> hits = new ArrayList<>(from.length);
        for (int i = 0; i < from.length; i++) {
            Series s = series(answer, i);
            if (s == null) {
                hits.add(null);
            } else {
                List<Object> row = s.rows().get(0);
                // The oldest point of a millisecond has its lowest seq unless seq passes a multiple of 1e6 in it.
                hits.add(new TradeSeek.Hit(Math.floorDiv(longAt(row, s.column("time")), InfluxQl.NS_PER_MS),
                        longAt(row, s.column("seq")), false));
            }
        }
        return hits;
    }

    private long readNewest(String symbol, String where, long startNs, long endNs, int limit, List<Trade> out) {
        return readTrades(call(() -> newest(TRADES, TRADE_FIELDS, where, startNs, endNs, limit)), symbol, out);
    }

    /** Adds the trades of {@code pages} to {@code out}; returns the oldest point time read ({@code Long.MAX_VALUE}: none). */
    private static long readTrades(List<Series> pages, String symbol, List<Trade> out) {
        long oldestNs = Long.MAX_VALUE;
        for (Series s : pages) {
            int[] c = columns(s, "time", "shard", "seq", "price", "qty", "side");
            for (List<Object> r : s.rows()) {
                long ns = longAt(r, c[0]);
                oldestNs = Math.min(oldestNs, ns);
                out.add(new Trade((int) longAt(r, c[1]), longAt(r, c[2]), symbol, Math.floorDiv(ns, InfluxQl.NS_PER_MS),
                        longAt(r, c[3]), longAt(r, c[4]), Side.ofCode((int) longAt(r, c[5]))));
            }
        }
        return oldestNs;
    }

    /**
     * The newest {@code limit} points in {@code [startNs, endNs)}, newest first, paged by time (points
     * of one series have distinct times, so the time cursor neither skips nor repeats).
     */
    private List<Series> newest(String measurement, String fields, String where, long startNs, long endNs, int limit) {
        List<Series> pages = new ArrayList<>();
        int read = 0;
        long upper = endNs;
        while (read < limit) {
            int page = Math.min(limit - read, options.readPageSize());
            Series s = single(query("SELECT " + fields + " FROM " + identifier(measurement) + " WHERE " + where
                    + " AND time >= " + startNs + " AND time < " + upper + " ORDER BY time DESC LIMIT " + page));
            if (s == null) {
                break;
            }
            pages.add(s);
            read += s.rows().size();
            if (s.rows().size() < page) {
                break;
            }
            upper = longAt(s.rows().get(s.rows().size() - 1), s.column("time"));
        }
        return pages;
    }

    @Override
    public String refusal(String symbol) {
        return symbol != null && InfluxQl.SYMBOL.matcher(symbol).matches() ? null
                : "the InfluxDB store takes symbols matching " + InfluxQl.SYMBOL.pattern();
    }

    @Override
    public boolean hasBars(String symbol, Interval interval) {
        String measurement = barMeasurement(interval);
        InfluxQl.symbol(symbol);
        return call(() -> single(query("SELECT \"close\" FROM " + identifier(measurement) + " WHERE \"symbol\"="
                + string(symbol) + " AND time >= " + InfluxQl.MIN_NS + " AND time <= " + InfluxQl.MAX_NS + " LIMIT 1"))) != null;
    }

    @Override
    public void checkpoint(int shard, long seq) {
        write(List.of(Point.measurement(CHECKPOINTS)
                .addTag("shard", Integer.toString(shard))
                .addField("seq", seq)
                .time(0L, WritePrecision.NS)
                .toLineProtocol()));
    }

    @Override
    public Map<Integer, Long> checkpoints() {
        List<List<Series>> answer = call(() -> query("SELECT \"seq\" FROM " + identifier(CHECKPOINTS)
                + " WHERE time >= " + InfluxQl.MIN_NS + " AND time <= " + InfluxQl.MAX_NS + " GROUP BY \"shard\""));
        Map<Integer, Long> out = new HashMap<>();
        for (Series s : answer.isEmpty() ? List.<Series>of() : answer.get(0)) {
            int seq = s.column("seq");
            for (List<Object> row : s.rows()) {
                out.put(Integer.parseInt(s.tags().get("shard")), longAt(row, seq));
            }
        }
        return Map.copyOf(out);
    }

    private void write(List<String> lines) {
        for (int i = 0; i < lines.size(); i += options.writeBatchSize()) {
            List<String> batch = lines.subList(i, Math.min(lines.size(), i + options.writeBatchSize()));
            call(() -> {
                http.write(batch);
                return null;
            });
        }
    }

    /**
     * Runs {@code op} against an existing database: creates it first (once), and once more if the
     * server says it is gone (dropped by an operator), then retries.
     */
    private <T> T call(Supplier<T> op) {
        if (closed) {
            throw new IllegalStateException("InfluxTimeSeriesStore is closed");
        }
        ensureDatabase();
        try {
            return op.get();
        } catch (InfluxHttp.ServerError e) {
            if (!e.databaseNotFound()) {
                throw e;
            }
            if (!options.createDatabase()) {
                throw new StoreUnavailableException("InfluxDB database " + options.database() + " does not exist and"
                        + " createDatabase is off: create it (on 2.x: a bucket and its DBRP mapping)", e);
            }
            databaseReady = false;
            ensureDatabase();
            return op.get();
        }
    }

    private void ensureDatabase() {
        if (databaseReady || !options.createDatabase()) {
            return;
        }
        synchronized (this) {
            if (!databaseReady) {
                http.query("CREATE DATABASE " + identifier(options.database()), false);
                databaseReady = true;
            }
        }
    }

    /**
     * One {@code /query} request against the database: every read goes through here, so {@link #queryRequests()}
     * counts round trips and {@link #queryLog} sees what influxd was asked and answered (tests: the work per page).
     */
    private List<List<Series>> query(String statements) {
        requests.increment();
        List<List<Series>> answer = http.query(statements, true);
        queryLog.accept(statements, answer);
        return answer;
    }

    /** {@code /query} requests sent since the store opened (tests: round trips per page). */
    long queryRequests() {
        return requests.sum();
    }

    /** Sees every {@code /query} request and its answer, on the calling thread (tests only). */
    void queryLog(BiConsumer<String, List<List<Series>>> log) {
        queryLog = log;
    }

    private static Series series(List<List<Series>> answer, int statement) {
        if (answer.size() <= statement || answer.get(statement).isEmpty()) {
            return null;
        }
        return answer.get(statement).get(0);
    }

    private static Series single(List<List<Series>> answer) {
        if (answer.isEmpty() || answer.get(0).isEmpty()) {
            return null;
        }
        return answer.get(0).get(0);
    }

    private static int[] columns(Series s, String... names) {
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = s.column(names[i]);
        }
        return out;
    }

    private static long longAt(List<Object> row, int column) {
        Object v = row.get(column);
        if (!(v instanceof Number n)) {
            throw new StoreUnavailableException("InfluxDB returned " + v + " where an integer was stored");
        }
        return n.longValue();
    }

    @Override
    public void close() {
        closed = true;
        http.close();
    }
}
