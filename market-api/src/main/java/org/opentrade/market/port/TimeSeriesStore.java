package org.opentrade.market.port;

import java.util.List;
import java.util.Map;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;

/**
 * Market history: trades, 1m and 1d bars, and the feed position up to which they are complete.
 * Adapters: in-memory (tests), QuestDB embedded (the default), InfluxDB. Every adapter passes
 * {@code TimeSeriesStoreContract}.
 *
 * <p>Blocking: called from market-api's store writer thread and from worker threads, never from an
 * event loop. Implementations are thread-safe. A store that is down throws
 * {@link StoreUnavailableException}; nothing is half-written that a later successful retry of the
 * same call would not complete.
 *
 * <p>Only {@link Interval#M1} and {@link Interval#D1} bars are stored; other intervals are rolled up
 * from them by the caller.
 */
public interface TimeSeriesStore extends AutoCloseable {

    /**
     * Stores trades. Idempotent: a trade written again (same shard and seq) is kept once, so a
     * writer that crashed before its checkpoint may simply write the batch again.
     */
    void writeTrades(List<Trade> trades);

    /**
     * Stores bars of {@code interval} (M1 or D1). A bar with the same symbol and time replaces the
     * stored one (upsert), so rewriting a bar after a restart never duplicates it.
     */
    void writeBars(Interval interval, List<Bar> bars);

    /**
     * Replaces every stored bar of {@code symbol} and {@code interval} with time in
     * {@code [start, end)} by {@code bars} (all inside that range), as one unit as far as readers
     * can tell: after a failure either the old or the new bars are there (CSV import).
     */
    void replaceBars(String symbol, Interval interval, long start, long end, List<Bar> bars);

    /**
     * The newest {@code limit} bars of {@code symbol} and {@code interval} with time in
     * {@code [start, end)}, returned oldest first.
     */
    List<Bar> bars(String symbol, Interval interval, long start, long end, int limit);

    /**
     * The newest {@code limit} trades of {@code symbol} with time in {@code [start, end)} and
     * {@code seq < beforeSeq}, newest first (by seq; one symbol lives on one shard).
     */
    List<Trade> trades(String symbol, long start, long end, long beforeSeq, int limit);

    /**
     * Why this store can never hold history of {@code symbol} (a name it refuses, whatever the values), or null
     * when it can. Asked once per instrument at start-up: market-api leaves such instruments out of what it serves,
     * so their trades never reach the store (a refused trade freezes its shard's checkpoint for a restart to retry,
     * and a symbol refused at every start would freeze it for good). Never blocks.
     */
    default String refusal(String symbol) {
        return null;
    }

    /** Whether any bar of {@code interval} is stored for {@code symbol} (backfill runs once). */
    boolean hasBars(String symbol, Interval interval);

    /**
     * Records that every trade and closed bar up to feed sequence {@code seq} of {@code shard} is
     * stored. Called after the writes it covers have returned.
     */
    void checkpoint(int shard, long seq);

    /** The last {@link #checkpoint} per shard; empty for a new store. */
    Map<Integer, Long> checkpoints();

    /** Releases files, connections and threads. */
    @Override
    void close();
}
