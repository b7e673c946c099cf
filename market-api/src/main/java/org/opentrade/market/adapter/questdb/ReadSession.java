package org.opentrade.market.adapter.questdb;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.BindVariableService;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.cairo.sql.TableReferenceOutOfDateException;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;

/**
 * One thread's compiled queries: an execution context, its bind variables and one factory per
 * {@link Query}, compiled on first use and reused, so a read costs a cursor open and a scan, not a
 * parse and plan. Not thread-safe: {@link QuestDbTimeSeriesStore} lends a session to one thread at
 * a time from its pool.
 *
 * <p>Every query uses the same bind variable layout, so one variable service serves them all:
 * {@code $1} symbol, {@code $2} start (inclusive) and {@code $3} end (exclusive) as timestamps,
 * {@code $4} a seq bound.
 */
final class ReadSession implements AutoCloseable {

    /** The store's queries. Bar queries come in pairs: 1m table, then 1d table. */
    enum Query {
        BARS_M1(bars("bars_1m")),
        BARS_D1(bars("bars_1d")),
        ANY_BAR_M1(anyBar("bars_1m")),
        ANY_BAR_D1(anyBar("bars_1d")),
        LIVE_TIMES_M1(liveTimes("bars_1m")),
        LIVE_TIMES_D1(liveTimes("bars_1d")),
        // Newest first by time; the caller orders ties within one millisecond by seq and skips seqs
        // from the cursor on (up to a bound from the newest trade; after TradeSeek only the cursor's
        // millisecond has any), so every row the index yields is one the caller counts.
        TRADES("SELECT ts, shard, seq, price, qty, aggressor FROM trades"
                + " WHERE symbol = $1 AND ts >= $2 AND ts < $3 ORDER BY ts DESC"),
        // TradeSeek's probes: the oldest trades from a time on (forward scan of the symbol's index).
        TRADES_FROM("SELECT ts, seq FROM trades WHERE symbol = $1 AND ts >= $2 AND ts < $3"),
        CHECKPOINTS("SELECT shard, seq FROM feed_checkpoints");

        final String sql;

        Query(String sql) {
            this.sql = sql;
        }

        // Backward scan of the symbol's index within the interval; the caller stops after `limit`
        // rows, so the cost is proportional to the rows returned, not to the table.
        private static String bars(String table) {
            return "SELECT ts, open, high, low, close, volume, turnover, trades, buy_volume FROM " + table
                    + " WHERE symbol = $1 AND ts >= $2 AND ts < $3 AND deleted = false ORDER BY ts DESC";
        }

        private static String anyBar(String table) {
            return "SELECT ts FROM " + table + " WHERE symbol = $1 AND deleted = false";
        }

        private static String liveTimes(String table) {
            return "SELECT ts FROM " + table + " WHERE symbol = $1 AND ts >= $2 AND ts < $3 AND deleted = false";
        }
    }

    private final CairoEngine engine;
    private final SqlExecutionContextImpl context;
    private final BindVariableService vars;
    private final RecordCursorFactory[] factories = new RecordCursorFactory[Query.values().length];

    ReadSession(CairoEngine engine) throws SqlException {
        this.engine = engine;
        this.vars = new BindVariableServiceImpl(engine.getConfiguration());
        this.context = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE, vars);
        vars.setStr(0);
        vars.setTimestamp(1);
        vars.setTimestamp(2);
        vars.setLong(3);
    }

    /**
     * Opens {@code query} with these bind values (unused ones are ignored). The caller closes the
     * cursor before the next {@code open} on this session.
     */
    RecordCursor open(Query query, CharSequence symbol, long startMicros, long endMicros, long seqBound)
            throws SqlException {
        vars.setStr(0, symbol);
        vars.setTimestamp(1, startMicros);
        vars.setTimestamp(2, endMicros);
        vars.setLong(3, seqBound);
        RecordCursorFactory factory = factory(query);
        try {
            return factory.getCursor(context);
        } catch (TableReferenceOutOfDateException e) {
            // The table was recreated or altered since compiling: compile again, once.
            factories[query.ordinal()] = null;
            factory.close();
            return factory(query).getCursor(context);
        }
    }

    private RecordCursorFactory factory(Query query) throws SqlException {
        RecordCursorFactory f = factories[query.ordinal()];
        if (f == null) {
            f = engine.select(query.sql, context);
            factories[query.ordinal()] = f;
        }
        return f;
    }

    /** The plan QuestDB chose for {@code query} (tests and diagnostics). */
    String plan(Query query) throws SqlException {
        StringBuilder out = new StringBuilder();
        try (RecordCursorFactory f = engine.select("EXPLAIN " + query.sql, context);
             RecordCursor c = f.getCursor(context)) {
            while (c.hasNext()) {
                out.append(c.getRecord().getStrA(0)).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (int i = 0; i < factories.length; i++) {
            if (factories[i] != null) {
                factories[i].close();
                factories[i] = null;
            }
        }
    }
}
