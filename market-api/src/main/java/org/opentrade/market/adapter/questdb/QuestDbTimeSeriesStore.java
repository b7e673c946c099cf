package org.opentrade.market.adapter.questdb;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.O3PartitionPurgeJob;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.wal.ApplyWal2TableJob;
import io.questdb.cairo.wal.CheckWalTransactionsJob;
import io.questdb.cairo.wal.WalPurgeJob;
import io.questdb.cairo.wal.WalWriter;
import io.questdb.cairo.wal.seq.SeqTxnTracker;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.cairo.security.AllowAllSecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.adapter.questdb.ReadSession.Query;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.domain.TradeSeek;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * The default history store: QuestDB's storage engine embedded in the JVM, data under one
 * directory, no server, no listening socket, no telemetry; all work runs on the calling threads.
 * (QuestDB's logger, JVM-wide, runs one daemon thread {@code logging_0} and prints INFO lines to
 * stdout; point the system property {@code out} at a QuestDB log.conf to change that.)
 *
 * <h2>Tables</h2>
 * Four WAL tables, each with the event time as designated timestamp (microseconds) and the symbol
 * as an indexed {@code SYMBOL} column:
 * <ul>
 *   <li>{@code bars_1m} (partitioned by month) and {@code bars_1d} (by year), {@code DEDUP UPSERT
 *       KEYS(ts, symbol)}: writing a bar again replaces it (the upsert of the port).</li>
 *   <li>{@code trades} (by day), {@code DEDUP UPSERT KEYS(ts, shard, seq)}: a trade written again
 *       is kept once, and several trades in one millisecond differ by seq so all are kept.</li>
 *   <li>{@code feed_checkpoints}: one row per shard at timestamp 0, deduplicated on
 *       {@code (ts, shard)}, so the newest checkpoint of a shard replaces the older one.</li>
 * </ul>
 *
 * <h2>replaceBars without DELETE</h2>
 * QuestDB has no DELETE. Each bar row carries a {@code deleted} flag and every read filters on
 * {@code deleted = false}. {@link #replaceBars} reads the live bar times in the range, then writes
 * one WAL transaction holding a tombstone row ({@code deleted = true}) for every old time that
 * the new bars do not cover, plus the new bars. Deduplication makes each row replace the stored
 * row with the same (time, symbol) in place, so tombstones do not pile up (a later bar at that
 * time replaces the tombstone). QuestDB applies a WAL transaction to the table as one commit and
 * a query reads one committed table version, so a reader sees the old range or the new one, never
 * a mix; a transaction that fails before its commit leaves nothing, and one committed but not yet
 * applied (a suspended table) is applied whole when the table resumes.
 *
 * <h2>Writes</h2>
 * Each write call is one WAL transaction ({@link WalWriter} rows, one commit), then applied to the
 * table on the calling thread by an {@link ApplyWal2TableJob} before the call returns, so a read
 * after a write sees it. Old WAL segments and partition versions that upserts superseded are
 * purged on the same thread after writes (the jobs a QuestDB server would run on its workers).
 * A call that throws {@link StoreUnavailableException} may be retried: rows are deduplicated.
 *
 * <h2>Reads</h2>
 * Queries are compiled once per {@link ReadSession} with bind variables and reused; sessions are
 * pooled, one per concurrent reader. A bar or trade read is a backward scan of the symbol's index
 * within the time interval that stops after {@code limit} rows.
 *
 * <p>Trades are returned newest first by seq. The scan runs by time and orders trades of the same
 * millisecond by seq: this equals seq order because the exchange stamps a shard's events in seq
 * order, so time never decreases as seq grows within the shard that holds a symbol. A read below a
 * cursor (a seq) scans back from the newest trade, skipping the trades at or above the cursor, as
 * long as it skips at most {@link QuestDbStoreOptions#tradeSkipBound()} of them: a page near the top
 * then costs what it always did. Past the bound it finds the cursor's millisecond by bisecting time
 * with one-row probes of the index ({@link TradeSeek}, 20 to 40 queries) and scans back from there,
 * so a deep page costs the bound, the probes and the page, not rows in proportion to its depth.
 *
 * <h2>Threads</h2>
 * Thread-safe. Any number of threads read concurrently (each with its own pooled session); write
 * calls ({@code write*}, {@code replaceBars}, {@code checkpoint}) are serialized by a lock and do
 * not block readers. {@link #close()} waits for calls in progress, then frees the engine, its
 * writers, readers and native memory; a new store may then be opened on the same directory in
 * the same JVM. Calls after close throw {@link StoreUnavailableException}.
 *
 * <h2>Files</h2>
 * Everything lives under the directory given to the constructor: {@code db/} holds the tables,
 * {@code conf/} and {@code .checkpoint/} are QuestDB's. (QuestDB's jar unpacks its native library
 * to {@code java.io.tmpdir} once per JVM and deletes it at exit: that is class loading, not data.)
 */
public final class QuestDbTimeSeriesStore implements TimeSeriesStore {
    static {
        quietLog(); // before any QuestDB class (an instance field's, say) configures its logging
    }

    static final String BARS_1M = "bars_1m";
    static final String BARS_1D = "bars_1d";
    static final String TRADES = "trades";
    static final String CHECKPOINTS = "feed_checkpoints";

    /** Largest epoch-ms value that fits QuestDB's microsecond timestamps. */
    private static final long MAX_MS = Long.MAX_VALUE / 1_000;

    private static final String BAR_COLUMNS = "ts TIMESTAMP, symbol SYMBOL CAPACITY 4096 CACHE INDEX,"
            + " open LONG, high LONG, low LONG, close LONG, volume LONG, turnover LONG, trades LONG,"
            + " buy_volume LONG, deleted BOOLEAN";
    // Column positions of the writers' rows (table order).
    private static final int B_SYMBOL = 1, B_OPEN = 2, B_HIGH = 3, B_LOW = 4, B_CLOSE = 5, B_VOLUME = 6,
            B_TURNOVER = 7, B_TRADES = 8, B_BUY_VOLUME = 9, B_DELETED = 10;
    private static final int T_SYMBOL = 1, T_SHARD = 2, T_SEQ = 3, T_PRICE = 4, T_QTY = 5, T_AGGRESSOR = 6;
    private static final int C_SHARD = 1, C_SEQ = 2;

    private final Path directory;
    private final CairoEngine engine;
    private final ApplyWal2TableJob applyJob;
    private final CheckWalTransactionsJob checkJob;
    private final WalPurgeJob walPurgeJob;
    private final O3PartitionPurgeJob partitionPurgeJob;
    private final TableToken bars1m;
    private final TableToken bars1d;
    private final TableToken trades;
    private final TableToken checkpoints;

    private final ConcurrentLinkedQueue<ReadSession> sessions = new ConcurrentLinkedQueue<>();
    /** Shared by every call, exclusive for close: close waits for calls in progress. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** One writer at a time: WAL writers, the apply job and replaceBars' read-then-write. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private boolean closed;
    private final LongAdder rowsRead = new LongAdder();
    private final LongAdder probes = new LongAdder();
    /** {@link QuestDbStoreOptions#tradeSkipBound()}. */
    private final int tradeSkipBound;

    /** A store with {@link QuestDbStoreOptions#DEFAULTS} (the app passes {@code ./data/market/questdb}). */
    public QuestDbTimeSeriesStore(Path directory) {
        this(directory, QuestDbStoreOptions.DEFAULTS);
    }

    /**
     * Opens (creating if needed) the store under {@code directory}, applies WAL transactions a
     * crash left unapplied, and resumes suspended tables. Called once at start-up, on any thread.
     *
     * @throws StoreUnavailableException the directory cannot be created or the engine fails to open
     */
    public QuestDbTimeSeriesStore(Path directory, QuestDbStoreOptions options) {
        this.directory = directory.toAbsolutePath().normalize();
        this.tradeSkipBound = options.tradeSkipBound();
        Path dbRoot = this.directory.resolve("db");
        try {
            Files.createDirectories(dbRoot);
        } catch (IOException e) {
            throw new StoreUnavailableException("QuestDB store: cannot create directory " + dbRoot + ": " + e, e);
        }
        CairoEngine e = null;
        ApplyWal2TableJob apply = null;
        WalPurgeJob walPurge = null;
        O3PartitionPurgeJob partitionPurge = null;
        try {
            e = new CairoEngine(new EmbeddedCairoConfiguration(dbRoot.toString(), this.directory.toString(),
                    options.syncCommits()));
            e.load();
            apply = new ApplyWal2TableJob(e, 0);
            walPurge = new WalPurgeJob(e);
            partitionPurge = new O3PartitionPurgeJob(e, 1);
            SqlExecutionContextImpl ddl = new SqlExecutionContextImpl(e, 1).with(AllowAllSecurityContext.INSTANCE);
            e.execute("CREATE TABLE IF NOT EXISTS " + BARS_1M + " (" + BAR_COLUMNS
                    + ") TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, symbol)", ddl);
            e.execute("CREATE TABLE IF NOT EXISTS " + BARS_1D + " (" + BAR_COLUMNS
                    + ") TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, symbol)", ddl);
            e.execute("CREATE TABLE IF NOT EXISTS " + TRADES + " (ts TIMESTAMP,"
                    + " symbol SYMBOL CAPACITY 4096 CACHE INDEX, shard INT, seq LONG, price LONG, qty LONG,"
                    + " aggressor BYTE) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, shard, seq)", ddl);
            e.execute("CREATE TABLE IF NOT EXISTS " + CHECKPOINTS + " (ts TIMESTAMP, shard INT, seq LONG)"
                    + " TIMESTAMP(ts) PARTITION BY YEAR WAL DEDUP UPSERT KEYS(ts, shard)", ddl);
            this.engine = e;
            this.applyJob = apply;
            this.checkJob = new CheckWalTransactionsJob(e);
            this.walPurgeJob = walPurge;
            this.partitionPurgeJob = partitionPurge;
            this.bars1m = e.verifyTableName(BARS_1M);
            this.bars1d = e.verifyTableName(BARS_1D);
            this.trades = e.verifyTableName(TRADES);
            this.checkpoints = e.verifyTableName(CHECKPOINTS);
            // Transactions committed to the WAL before a crash but not applied yet.
            checkJob.run(0);
            applyJob.drain(0);
            for (TableToken t : List.of(bars1m, bars1d, trades, checkpoints)) {
                resumeIfSuspended(t);
                applyAndVerify(t);
            }
        } catch (Throwable t) {
            closeQuietly(partitionPurge);
            closeQuietly(walPurge);
            closeQuietly(apply);
            closeQuietly(e);
            throw unavailable("opening", t);
        }
    }

    /** The directory this store keeps its files in. */
    public Path directory() {
        return directory;
    }

    // ---------------------------------------------------------------- writes (one writer at a time)

    @Override
    public void writeTrades(List<Trade> list) {
        for (Trade t : list) {
            checkTime(t.time());
        }
        write(trades, "writing trades", list.isEmpty(), w -> {
            for (Trade t : list) {
                TableWriter.Row row = w.newRow(t.time() * 1_000);
                row.putSym(T_SYMBOL, t.symbol());
                row.putInt(T_SHARD, t.shard());
                row.putLong(T_SEQ, t.seq());
                row.putLong(T_PRICE, t.price());
                row.putLong(T_QTY, t.qty());
                row.putByte(T_AGGRESSOR, (byte) t.aggressor().code());
                row.append();
            }
        });
    }

    @Override
    public void writeBars(Interval interval, List<Bar> list) {
        TableToken table = barTable(interval);
        for (Bar b : list) {
            checkBar(b, interval);
        }
        write(table, "writing " + interval.code() + " bars", list.isEmpty(), w -> {
            for (Bar b : list) {
                appendBar(w, b);
            }
        });
    }

    @Override
    public void replaceBars(String symbol, Interval interval, long start, long end, List<Bar> list) {
        TableToken table = barTable(interval);
        Set<Long> newTimes = new HashSet<>();
        for (Bar b : list) {
            checkBar(b, interval);
            if (!b.symbol().equals(symbol) || b.time() < start || b.time() >= end) {
                throw new IllegalArgumentException("replaceBars: " + b + " is not a bar of " + symbol
                        + " in [" + start + ", " + end + ")");
            }
            newTimes.add(b.time());
        }
        Query liveTimes = interval == Interval.M1 ? Query.LIVE_TIMES_M1 : Query.LIVE_TIMES_D1;
        write(table, "replacing " + interval.code() + " bars of " + symbol, false, w -> {
            // Under the write lock: no other write can add a bar between this read and the commit.
            List<Long> stale = withSession(s -> {
                List<Long> out = new ArrayList<>();
                try (RecordCursor c = s.open(liveTimes, symbol, toMicros(start), toMicros(end), 0)) {
                    Record r = c.getRecord();
                    while (c.hasNext()) {
                        long micros = r.getTimestamp(0);
                        if (!newTimes.contains(micros / 1_000)) {
                            out.add(micros);
                        }
                    }
                }
                return out;
            });
            for (long micros : stale) {
                TableWriter.Row row = w.newRow(micros);
                row.putSym(B_SYMBOL, symbol);
                row.putBool(B_DELETED, true);
                row.append();
            }
            for (Bar b : list) {
                appendBar(w, b);
            }
        });
    }

    @Override
    public void checkpoint(int shard, long seq) {
        write(checkpoints, "recording checkpoint", false, w -> {
            TableWriter.Row row = w.newRow(0);
            row.putInt(C_SHARD, shard);
            row.putLong(C_SEQ, seq);
            row.append();
        });
    }

    private static void appendBar(WalWriter w, Bar b) {
        TableWriter.Row row = w.newRow(b.time() * 1_000);
        row.putSym(B_SYMBOL, b.symbol());
        row.putLong(B_OPEN, b.open());
        row.putLong(B_HIGH, b.high());
        row.putLong(B_LOW, b.low());
        row.putLong(B_CLOSE, b.close());
        row.putLong(B_VOLUME, b.volume());
        row.putLong(B_TURNOVER, b.turnover());
        row.putLong(B_TRADES, b.trades());
        row.putLong(B_BUY_VOLUME, b.buyVolume());
        row.putBool(B_DELETED, false);
        row.append();
    }

    /** Rows appended to a WAL writer; committed by {@link #write} as one transaction. */
    @FunctionalInterface
    private interface Rows {
        void append(WalWriter writer) throws Exception;
    }

    private void write(TableToken table, String what, boolean empty, Rows rows) {
        lifecycle.readLock().lock();
        writeLock.lock();
        try {
            ensureOpen();
            if (empty) {
                return;
            }
            resumeIfSuspended(table);
            try (WalWriter w = engine.getWalWriter(table)) {
                try {
                    rows.append(w);
                    w.commit();
                } catch (Throwable t) {
                    try {
                        w.rollback();
                    } catch (Throwable ignored) {
                        // the writer is distressed and is discarded by close()
                    }
                    throw t;
                }
            }
            applyAndVerify(table);
            partitionPurgeJob.drain(0);
            walPurgeJob.run(0); // due every cairo.wal.purge.interval; otherwise returns at once
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw unavailable(what, t);
        } finally {
            writeLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    /** Applies the table's committed WAL transactions now, so the caller's write is visible. */
    private void applyAndVerify(TableToken table) {
        applyJob.drain(0);
        SeqTxnTracker tracker = engine.getTableSequencerAPI().getTxnTracker(table);
        if (!tracker.isSuspended() && tracker.getWriterTxn() < tracker.getSeqTxn()) {
            checkJob.run(0); // re-sends notifications the queue may have dropped
            applyJob.drain(0);
        }
        if (tracker.isSuspended()) {
            throw new StoreUnavailableException("QuestDB store at " + directory + ": table " + table.getTableName()
                    + " is suspended (" + tracker.getErrorMessage() + "); committed rows are applied when it resumes");
        }
        if (tracker.getWriterTxn() < tracker.getSeqTxn()) {
            throw new StoreUnavailableException("QuestDB store at " + directory + ": table " + table.getTableName()
                    + " applied transaction " + tracker.getWriterTxn() + " of " + tracker.getSeqTxn());
        }
    }

    /** A table suspends when applying its WAL failed (e.g. disk full); retrying may now succeed. */
    private void resumeIfSuspended(TableToken table) throws SqlException {
        if (engine.getTableSequencerAPI().isSuspended(table)) {
            engine.execute("ALTER TABLE " + table.getTableName() + " RESUME WAL",
                    new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE));
        }
    }

    // ---------------------------------------------------------------- reads (any thread)

    @Override
    public List<Bar> bars(String symbol, Interval interval, long start, long end, int limit) {
        barTable(interval);
        if (limit <= 0 || start >= end || end <= 0) {
            return readNothing();
        }
        Query query = interval == Interval.M1 ? Query.BARS_M1 : Query.BARS_D1;
        return read("reading " + interval.code() + " bars of " + symbol, s -> {
            ArrayList<Bar> out = new ArrayList<>(Math.min(limit, 1_024));
            try (RecordCursor c = s.open(query, symbol, toMicros(start), toMicros(end), 0)) {
                Record r = c.getRecord();
                while (out.size() < limit && c.hasNext()) {
                    out.add(new Bar(symbol, interval, r.getTimestamp(0) / 1_000, r.getLong(1), r.getLong(2),
                            r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8)));
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public List<Trade> trades(String symbol, long start, long end, long beforeSeq, int limit) {
        if (limit <= 0 || start >= end || end <= 0) {
            return readNothing();
        }
        return read("reading trades of " + symbol, s -> {
            ArrayList<Trade> out = new ArrayList<>(Math.min(limit, 1_024));
            // From the newest trade, as a page near the top costs least that way; a cursor deeper than
            // the bound is sought instead (TradeSeek), below the trades already skipped.
            long skippedTo = scanBack(s, symbol, start, end, beforeSeq, limit, skipBound(limit), out);
            if (skippedTo >= 0) {
                long to = TradeSeek.endBefore(new SessionProbe(s, symbol), start, skippedTo, beforeSeq);
                scanBack(s, symbol, start, to, beforeSeq, limit, Long.MAX_VALUE, out);
            }
            out.sort(Comparator.comparingLong(Trade::seq).reversed());
            return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
        });
    }

    /** Rows at or above a cursor a trades read may skip before it seeks the cursor: at least a page. */
    long skipBound(int limit) {
        return Math.max(limit, tradeSkipBound);
    }

    /**
     * Adds to {@code out} the trades of {@code [start, end)} below {@code beforeSeq}, newest first by time,
     * until {@code limit} and the ties of the last millisecond taken are in. Returns -1, or, when it skipped
     * more than {@code skipBound} rows at or above the cursor before taking any, an end {@code e} such that
     * every trade in {@code [e, end)} is at or above the cursor, with {@code out} untouched.
     */
    private long scanBack(ReadSession s, String symbol, long start, long end, long beforeSeq, int limit,
            long skipBound, List<Trade> out) throws SqlException {
        try (RecordCursor c = s.open(Query.TRADES, symbol, toMicros(start), toMicros(end), 0)) {
            Record r = c.getRecord();
            long lastMicros = Long.MAX_VALUE;
            long skipped = 0;
            while (c.hasNext()) {
                rowsRead.increment();
                long micros = r.getTimestamp(0);
                if (out.size() >= limit && micros < lastMicros) {
                    break; // every trade of the last millisecond taken is in: ties are complete
                }
                long seq = r.getLong(2);
                if (seq >= beforeSeq) {
                    if (++skipped > skipBound && out.isEmpty()) {
                        return micros / 1_000 + 1;
                    }
                    continue;
                }
                lastMicros = micros;
                out.add(new Trade(r.getInt(1), seq, symbol, micros / 1_000, r.getLong(3), r.getLong(4),
                        Side.ofCode(r.getByte(5))));
            }
        }
        return -1;
    }

    /** {@link TradeSeek}'s probes on one borrowed session; each reads the rows of one millisecond at most. */
    private final class SessionProbe implements TradeSeek.Probe {
        private final ReadSession session;
        private final String symbol;

        SessionProbe(ReadSession session, String symbol) {
            this.session = session;
            this.symbol = symbol;
        }

        @Override
        public TradeSeek.Hit oldest(long fromMs, long toMs) {
            probes.increment();
            try (RecordCursor c = session.open(Query.TRADES_FROM, symbol, toMicros(fromMs), toMicros(toMs), 0)) {
                Record r = c.getRecord();
                long firstMicros = -1;
                long min = Long.MAX_VALUE;
                while (c.hasNext()) {
                    rowsRead.increment();
                    long micros = r.getTimestamp(0);
                    if (firstMicros >= 0 && micros / 1_000 != firstMicros / 1_000) {
                        break;
                    }
                    firstMicros = firstMicros < 0 ? micros : firstMicros;
                    min = Math.min(min, r.getLong(1));
                }
                return firstMicros < 0 ? null : new TradeSeek.Hit(firstMicros / 1_000, min, true);
            } catch (SqlException e) {
                throw unavailable("seeking trades of " + symbol, e);
            }
        }

        @Override
        public long minSeq(long ms) {
            TradeSeek.Hit hit = oldest(ms, ms + 1);
            return hit == null ? Long.MAX_VALUE : hit.seq();
        }

        @Override
        public long newestMs(long fromMs, long toMs) {
            probes.increment();
            try (RecordCursor c = session.open(Query.TRADES, symbol, toMicros(fromMs), toMicros(toMs), 0)) {
                if (!c.hasNext()) {
                    return -1;
                }
                rowsRead.increment();
                return c.getRecord().getTimestamp(0) / 1_000;
            } catch (SqlException e) {
                throw unavailable("seeking trades of " + symbol, e);
            }
        }
    }

    /** Trade rows the store has read from QuestDB's cursors since it opened (tests: the work per page). */
    long tradeRowsRead() {
        return rowsRead.sum();
    }

    /** Probe queries {@link TradeSeek} has run since the store opened (tests: which pages sought their cursor). */
    long tradeProbes() {
        return probes.sum();
    }

    @Override
    public boolean hasBars(String symbol, Interval interval) {
        barTable(interval);
        Query query = interval == Interval.M1 ? Query.ANY_BAR_M1 : Query.ANY_BAR_D1;
        return read("looking up " + interval.code() + " bars of " + symbol, s -> {
            try (RecordCursor c = s.open(query, symbol, 0, 0, 0)) {
                return c.hasNext();
            }
        });
    }

    @Override
    public Map<Integer, Long> checkpoints() {
        return read("reading checkpoints", s -> {
            Map<Integer, Long> out = new HashMap<>();
            try (RecordCursor c = s.open(Query.CHECKPOINTS, "", 0, 0, 0)) {
                Record r = c.getRecord();
                while (c.hasNext()) {
                    out.put(r.getInt(0), r.getLong(1));
                }
            }
            return Map.copyOf(out);
        });
    }

    /** The engine, for tests that simulate a crash between a WAL commit and its application. */
    CairoEngine engine() {
        return engine;
    }

    /** The plan QuestDB runs for {@code query} (tests check that reads use the symbol index). */
    String plan(Query query) {
        return read("explaining " + query, s -> s.plan(query));
    }

    @FunctionalInterface
    private interface SessionWork<T> {
        T run(ReadSession session) throws Exception;
    }

    private <T> T read(String what, SessionWork<T> work) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return withSession(work);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw unavailable(what, t);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Borrows a pooled session; one that failed is closed rather than returned (it may be broken). */
    private <T> T withSession(SessionWork<T> work) throws Exception {
        ReadSession s = sessions.poll();
        if (s == null) {
            s = new ReadSession(engine);
        }
        boolean ok = false;
        try {
            T result = work.run(s);
            ok = true;
            return result;
        } finally {
            if (ok) {
                sessions.offer(s);
            } else {
                s.close();
            }
        }
    }

    private <T> List<T> readNothing() {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return List.of();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (ReadSession s; (s = sessions.poll()) != null; ) {
                closeQuietly(s);
            }
            closeQuietly(partitionPurgeJob);
            closeQuietly(walPurgeJob);
            closeQuietly(applyJob);
            engine.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreUnavailableException("QuestDB store at " + directory + " is closed");
        }
    }

    private TableToken barTable(Interval interval) {
        if (interval == Interval.M1) {
            return bars1m;
        }
        if (interval == Interval.D1) {
            return bars1d;
        }
        throw new IllegalArgumentException("only 1m and 1d bars are stored, not " + interval.code());
    }

    private static void checkBar(Bar b, Interval interval) {
        if (b.interval() != interval) {
            throw new IllegalArgumentException("a " + b.interval().code() + " bar among " + interval.code() + " bars: " + b);
        }
        checkTime(b.time());
    }

    private static void checkTime(long ms) {
        if (ms < 0 || ms > MAX_MS) {
            throw new IllegalArgumentException("time " + ms + " is outside what the store keeps (0.." + MAX_MS + " ms)");
        }
    }

    /** Epoch ms to QuestDB microseconds, clamped to the representable range (open bounds stay open). */
    private static long toMicros(long ms) {
        if (ms <= 0) {
            return 0;
        }
        return ms >= MAX_MS ? Long.MAX_VALUE : ms * 1_000;
    }

    /**
     * QuestDB reuses exception instances per thread (their message is a flyweight), so the cause
     * handed out is a copy that later failures cannot rewrite.
     */
    private StoreUnavailableException unavailable(String what, Throwable t) {
        String detail = t.getClass().getSimpleName() + ": " + t.getMessage();
        RuntimeException cause = new RuntimeException(detail);
        cause.setStackTrace(t.getStackTrace());
        return new StoreUnavailableException("QuestDB store at " + directory + ": " + what + " failed: " + detail, cause);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Throwable ignored) {
                // closing on the way out; the first failure is the one reported
            }
        }
    }

    /** QuestDB's log configuration shipped with market-api (errors only), unless one was chosen with -Dout. */
    static final String LOG_CONFIG = "/org/opentrade/market/adapter/questdb/questdb-log.conf";

    /**
     * QuestDB configures its logging once per JVM, from the system property {@code out} (a classpath
     * resource or a file) at its first log call, and logs every lock and query at INFO. Points it at
     * {@link #LOG_CONFIG} unless the operator set {@code -Dout}.
     */
    private static void quietLog() {
        if (System.getProperty("out") == null) {
            System.setProperty("out", LOG_CONFIG);
        }
    }
}
